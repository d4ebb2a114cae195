package org.mosaicpacs.dicom.net.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;

/**
 * DIMSE command sets (PS3.7 9.3, 10.3 and Annex E): built as group 0000 data sets and encoded,
 * always, in Implicit VR Little Endian with the Command Group Length first, through the core's
 * writer and reader.
 */
public final class Commands {

    /** Command Data Set Type (0000,0800) meaning "no data set" (PS3.7 E.1). */
    public static final int NO_DATA_SET = 0x0101;
    /** Any other value means a data set follows; this is the one we send. */
    public static final int DATA_SET_PRESENT = 0x0001;

    private static final ReadOptions COMMAND_READ = ReadOptions.loadAll().withMaxValueLength(64 * 1024);

    private Commands() {
    }

    /** Encodes a command set, computing (0000,0000) Command Group Length. */
    public static byte[] encode(DataSet command) throws IOException {
        DataSet body = command.isReadOnly() ? command.deepCopy() : command;
        body.remove(Tag.CommandGroupLength);
        ByteArrayOutputStream rest = new ByteArrayOutputStream(128);
        try (DicomWriter w = DicomWriter.create(rest, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, WriteOptions.defaults())) {
            w.writeDataSet(body);
        }
        int len = rest.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 12);
        // (0000,0000) UL, implicit VR: tag, 4-byte length 4, value
        out.write(new byte[] {0, 0, 0, 0, 4, 0, 0, 0, (byte) len, (byte) (len >>> 8), (byte) (len >>> 16), (byte) (len >>> 24)});
        rest.writeTo(out);
        return out.toByteArray();
    }

    /**
     * Decodes a command set.
     *
     * @throws PduException if it is not a valid Implicit VR Little Endian group 0000 (the
     *         association aborts: a command it cannot read leaves nothing to answer)
     */
    public static DataSet decode(byte[] b, int off, int len) throws PduException {
        try (DicomReader r = DicomReader.open(new ByteArrayInputStream(b, off, len), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                COMMAND_READ)) {
            DataSet cmd = r.readDataSet();
            for (int tag : cmd.tags()) {
                if ((tag >>> 16) != 0) {
                    throw PduException.invalid("command set holds " + String.format("(%04X,%04X)", tag >>> 16,
                            tag & 0xFFFF) + " outside group 0000");
                }
            }
            return cmd.freeze();
        } catch (IOException | RuntimeException e) {
            if (e instanceof PduException p) {
                throw p;
            }
            throw new PduException(org.mosaicpacs.dicom.net.AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                    "command set cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** True if the command says a data set follows. */
    public static boolean hasDataSet(DataSet command) {
        return command.getInt(Tag.CommandDataSetType, NO_DATA_SET) != NO_DATA_SET;
    }

    /**
     * A request command set.
     *
     * @param sopInstanceUid the affected or requested SOP instance, or null where the request has none
     */
    public static DataSet request(Dimse dimse, int messageId, String sopClassUid, String sopInstanceUid,
                                  boolean hasDataSet) {
        DataSet c = new DataSet(10);
        boolean requested = dimse == Dimse.N_GET_RQ || dimse == Dimse.N_SET_RQ || dimse == Dimse.N_ACTION_RQ
                || dimse == Dimse.N_DELETE_RQ;
        c.setString(requested ? Tag.RequestedSOPClassUID : Tag.AffectedSOPClassUID, VR.UI, sopClassUid);
        c.setInt(Tag.CommandField, VR.US, dimse.commandField());
        c.setInt(Tag.MessageID, VR.US, messageId);
        if (dimse == Dimse.C_STORE_RQ || dimse == Dimse.C_FIND_RQ || dimse == Dimse.C_GET_RQ || dimse == Dimse.C_MOVE_RQ) {
            c.setInt(Tag.Priority, VR.US, 0);
        }
        c.setInt(Tag.CommandDataSetType, VR.US, hasDataSet ? DATA_SET_PRESENT : NO_DATA_SET);
        if (sopInstanceUid != null) {
            c.setString(requested ? Tag.RequestedSOPInstanceUID : Tag.AffectedSOPInstanceUID, VR.UI, sopInstanceUid);
        }
        return c;
    }

    /** A C-CANCEL-RQ for the request with this Message ID (PS3.7 9.3.2.3). */
    public static DataSet cancel(int messageIdBeingRespondedTo) {
        DataSet c = new DataSet(3);
        c.setInt(Tag.CommandField, VR.US, Dimse.C_CANCEL_RQ.commandField());
        c.setInt(Tag.MessageIDBeingRespondedTo, VR.US, messageIdBeingRespondedTo);
        c.setInt(Tag.CommandDataSetType, VR.US, NO_DATA_SET);
        return c;
    }

    /**
     * The response command set: the handler's status attributes plus what the association owes
     * (Command Field, Message ID Being Responded To, Affected SOP Class and Instance UIDs,
     * Command Data Set Type).
     */
    public static DataSet response(Dimse request, int messageId, String sopClassUid, String sopInstanceUid,
                                   DimseResponse response) {
        DataSet c = response.command().deepCopy();
        c.remove(Tag.CommandGroupLength);
        c.setString(Tag.AffectedSOPClassUID, VR.UI, sopClassUid);
        c.setInt(Tag.CommandField, VR.US, request.response().commandField());
        c.setInt(Tag.MessageIDBeingRespondedTo, VR.US, messageId);
        c.setInt(Tag.CommandDataSetType, VR.US, response.dataSet() != null ? DATA_SET_PRESENT : NO_DATA_SET);
        boolean instanceLevel = request == Dimse.C_STORE_RQ || request.isN();
        if (instanceLevel && sopInstanceUid != null && !c.contains(Tag.AffectedSOPInstanceUID)) {
            c.setString(Tag.AffectedSOPInstanceUID, VR.UI, sopInstanceUid);
        }
        if (!instanceLevel) {
            c.remove(Tag.AffectedSOPInstanceUID);
        }
        return c;
    }
}
