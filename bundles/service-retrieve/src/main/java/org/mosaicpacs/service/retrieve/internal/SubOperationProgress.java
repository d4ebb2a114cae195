package org.mosaicpacs.service.retrieve.internal;

import java.util.ArrayList;
import java.util.List;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseResponse.SubOperations;
import org.mosaicpacs.dicom.net.Status;

/**
 * The C-STORE sub-operations of one C-MOVE or C-GET: their counts, the SOP Instance UIDs that
 * failed, and the responses that report them (PS3.4 C.4.2.1.5-9, C.4.2.3.1, C.4.3.3.1). Used by
 * one worker thread.
 */
final class SubOperationProgress {

    private final int total;
    private int completed;
    private int failed;
    private int warning;
    private final List<String> failedUids = new ArrayList<>();
    private String firstFailure;

    SubOperationProgress(int total) {
        this.total = total;
    }

    void completed() {
        completed++;
    }

    void warning() {
        warning++;
    }

    void failed(String sopInstanceUid, String reason) {
        failed++;
        failedUids.add(sopInstanceUid);
        if (firstFailure == null) {
            firstFailure = reason;
        }
    }

    int remaining() {
        return total - completed - failed - warning;
    }

    /** Records the peer's answer to one C-STORE: success, warning (Bxxx, 0001...) or failure. */
    void stored(String sopInstanceUid, DimseResponse response) {
        if (response.isSuccess()) {
            completed();
        } else if (response.isWarning()) {
            warning();
        } else {
            failed(sopInstanceUid, "C-STORE answered " + Status.describe(response.status())
                    + (response.errorComment() != null ? ": " + response.errorComment() : ""));
        }
    }

    /** A pending response with the four counts. */
    DimseResponse pending() {
        return DimseResponse.of(Status.PENDING).withSubOperations(new SubOperations(remaining(), completed, failed, warning));
    }

    /**
     * The final response: Success when every sub-operation succeeded (or there were none);
     * Warning B000 when some failed or had warnings but not all failed; Failure A702 (unable to
     * perform sub-operations) when all failed, with the first reason as Error Comment; Cancel
     * FE00 after a C-CANCEL, with the number still remaining. Failed SOP Instance UID List
     * (0008,0058) in the data set whenever one failed.
     */
    DimseResponse finalResponse(boolean cancelled) {
        int status;
        if (cancelled) {
            status = Status.CANCEL;
        } else if (failed == 0 && warning == 0) {
            status = Status.SUCCESS;
        } else if (completed + warning == 0) {
            status = Status.OUT_OF_RESOURCES_UNABLE_TO_PERFORM_SUB_OPERATIONS;
        } else {
            status = Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES;
        }
        DimseResponse response = DimseResponse.of(status)
                .withSubOperations(new SubOperations(cancelled ? remaining() : -1, completed, failed, warning));
        if (status == Status.OUT_OF_RESOURCES_UNABLE_TO_PERFORM_SUB_OPERATIONS) {
            response = response.withErrorComment(firstFailure);
        }
        if (!failedUids.isEmpty()) {
            DataSet failures = new DataSet();
            failures.setString(Tag.FailedSOPInstanceUIDList, VR.UI, failedUids.toArray(String[]::new));
            response = response.withDataSet(failures);
        }
        return response;
    }
}
