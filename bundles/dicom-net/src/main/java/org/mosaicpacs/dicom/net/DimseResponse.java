package org.mosaicpacs.dicom.net;

import java.util.Objects;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * A DIMSE response: its status, the status-related command attributes (Error Comment, Offending
 * Element, sub-operation counts, Affected SOP Instance UID of an N-CREATE...) and an optional data
 * set (a C-FIND match, an N-GET attribute list, a C-GET/C-MOVE Failed SOP Instance UID List).
 *
 * <p>Handlers build one with {@link #of(int)} and the {@code with...} methods; the association
 * adds Command Field, Message ID Being Responded To, the affected SOP class and instance and the
 * Command Data Set Type when it sends it. On the SCU side {@link #command()} is the whole command
 * set received. Immutable: {@code with...} return a copy; the data sets are frozen.
 */
public final class DimseResponse {

    private static final int MAX_ERROR_COMMENT = 64;

    private final DataSet command;
    private final DataSet dataSet;

    private DimseResponse(DataSet command, DataSet dataSet) {
        this.command = command.freeze();
        this.dataSet = dataSet == null ? null : dataSet.freeze();
    }

    /** A response with this status and nothing else. */
    public static DimseResponse of(int status) {
        DataSet cmd = new DataSet();
        cmd.setInt(Tag.Status, VR.US, status);
        return new DimseResponse(cmd, null);
    }

    /** Success. */
    public static DimseResponse success() {
        return of(Status.SUCCESS);
    }

    /** A pending C-FIND response carrying one match. */
    public static DimseResponse pending(DataSet identifier) {
        return of(Status.PENDING).withDataSet(identifier);
    }

    /**
     * A response made from a received command set and data set (SCU side); the command is kept
     * as received.
     */
    public static DimseResponse fromCommand(DataSet command, DataSet dataSet) {
        Objects.requireNonNull(command, "command");
        return new DimseResponse(command.isReadOnly() ? command : command.deepCopy(), dataSet);
    }

    /** The Status (0000,0900). */
    public int status() {
        return command.getInt(Tag.Status, Status.PROCESSING_FAILURE);
    }

    /** The Error Comment (0000,0902), or null. */
    public String errorComment() {
        return command.getString(Tag.ErrorComment);
    }

    /** The command attributes (read-only). */
    public DataSet command() {
        return command;
    }

    /** The data set, or null if the response has none. Read-only. */
    public DataSet dataSet() {
        return dataSet;
    }

    public boolean isPending() {
        return Status.isPending(status());
    }

    public boolean isSuccess() {
        return Status.isSuccess(status());
    }

    public boolean isWarning() {
        return Status.isWarning(status());
    }

    public boolean isFailure() {
        return Status.isFailure(status());
    }

    public boolean isCancel() {
        return Status.isCancel(status());
    }

    /** Number of Remaining, Completed, Failed and Warning Sub-operations (C-GET, C-MOVE), -1 where absent. */
    public SubOperations subOperations() {
        return new SubOperations(command.getInt(Tag.NumberOfRemainingSuboperations, -1),
                command.getInt(Tag.NumberOfCompletedSuboperations, -1),
                command.getInt(Tag.NumberOfFailedSuboperations, -1),
                command.getInt(Tag.NumberOfWarningSuboperations, -1));
    }

    /** A copy with this status. */
    public DimseResponse withStatus(int status) {
        return edit(c -> c.setInt(Tag.Status, VR.US, status));
    }

    /**
     * A copy with an Error Comment (LO, at most 64 characters: longer text is cut). Must not
     * contain PHI: it is logged and shown to the peer's operator.
     */
    public DimseResponse withErrorComment(String comment) {
        if (comment == null) {
            return this;
        }
        String c = comment.replace('\\', '/').replaceAll("[\\r\\n\\t]", " ");
        String cut = c.length() > MAX_ERROR_COMMENT ? c.substring(0, MAX_ERROR_COMMENT) : c;
        return edit(cmd -> cmd.setString(Tag.ErrorComment, VR.LO, cut));
    }

    /** A copy with an Offending Element (0000,0901) list. */
    public DimseResponse withOffendingElements(int... tags) {
        return edit(c -> c.setInt(Tag.OffendingElement, VR.AT, tags));
    }

    /** A copy with the four sub-operation counts of a C-GET or C-MOVE response. */
    public DimseResponse withSubOperations(SubOperations counts) {
        return edit(c -> {
            setCount(c, Tag.NumberOfRemainingSuboperations, counts.remaining());
            setCount(c, Tag.NumberOfCompletedSuboperations, counts.completed());
            setCount(c, Tag.NumberOfFailedSuboperations, counts.failed());
            setCount(c, Tag.NumberOfWarningSuboperations, counts.warning());
        });
    }

    /** A copy with the Affected SOP Instance UID, e.g. the one an N-CREATE SCP assigned. */
    public DimseResponse withAffectedSopInstanceUid(String uid) {
        return edit(c -> c.setString(Tag.AffectedSOPInstanceUID, VR.UI, uid));
    }

    /** A copy with a data set (copied and frozen). */
    public DimseResponse withDataSet(DataSet data) {
        return new DimseResponse(command, data == null ? null : data.isReadOnly() ? data : data.deepCopy());
    }

    private static void setCount(DataSet c, int tag, int value) {
        if (value >= 0) {
            c.setInt(tag, VR.US, value);
        } else {
            c.remove(tag);
        }
    }

    private DimseResponse edit(java.util.function.Consumer<DataSet> change) {
        DataSet copy = command.deepCopy();
        change.accept(copy);
        return new DimseResponse(copy, dataSet);
    }

    @Override
    public String toString() {
        String comment = errorComment();
        return "DimseResponse[" + Status.describe(status()) + (comment != null ? " '" + comment + "'" : "")
                + (dataSet != null ? ", with data set" : "") + "]";
    }

    /**
     * Sub-operation counts of a C-GET or C-MOVE response (PS3.7 9.1.3, 9.1.4); -1 for absent.
     *
     * @param remaining Number of Remaining Sub-operations
     * @param completed Number of Completed Sub-operations
     * @param failed Number of Failed Sub-operations
     * @param warning Number of Warning Sub-operations
     */
    public record SubOperations(int remaining, int completed, int failed, int warning) {
    }
}
