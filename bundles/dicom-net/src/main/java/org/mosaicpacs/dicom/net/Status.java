package org.mosaicpacs.dicom.net;

/**
 * DIMSE status codes (PS3.7 Annex C) and the one place where a status is decided for a
 * handler's outcome.
 *
 * <p>A handler returns a {@link DimseResponse} with its status, or throws
 * {@link DimseStatusException} with a status and an Error Comment. Any other exception a handler
 * throws becomes {@link #forUnexpectedFailure} of the request: a failure status with the
 * exception in the Error Comment, never a dropped association.
 */
public final class Status {

    public static final int SUCCESS = 0x0000;
    /** C-FIND, C-GET, C-MOVE: more responses follow. */
    public static final int PENDING = 0xFF00;
    /** C-FIND: pending, one or more optional keys were not supported. */
    public static final int PENDING_WARNING = 0xFF01;
    /** C-FIND, C-GET, C-MOVE: the operation was cancelled by a C-CANCEL. */
    public static final int CANCEL = 0xFE00;

    /** Warning (C-STORE): coercion of data elements. */
    public static final int COERCION_OF_DATA_ELEMENTS = 0xB000;
    /** Warning (C-STORE): elements discarded. */
    public static final int ELEMENTS_DISCARDED = 0xB006;
    /** Warning (C-STORE): data set does not match SOP class. */
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS_WARNING = 0xB007;
    /** Warning (C-GET, C-MOVE): sub-operations complete, one or more failures or warnings. */
    public static final int SUB_OPERATIONS_COMPLETE_WITH_FAILURES = 0xB000;
    /** Warning (N-services): attribute list error. */
    public static final int ATTRIBUTE_LIST_ERROR = 0x0107;
    /** Warning (N-services): attribute value out of range. */
    public static final int ATTRIBUTE_VALUE_OUT_OF_RANGE = 0x0116;

    /** Failure: processing failure (the general failure of the DIMSE-N services and C-ECHO). */
    public static final int PROCESSING_FAILURE = 0x0110;
    /** Failure: no such SOP instance. */
    public static final int NO_SUCH_SOP_INSTANCE = 0x0112;
    /** Failure: no such attribute. */
    public static final int NO_SUCH_ATTRIBUTE = 0x0105;
    /** Failure: invalid attribute value. */
    public static final int INVALID_ATTRIBUTE_VALUE = 0x0106;
    /** Failure: missing attribute. */
    public static final int MISSING_ATTRIBUTE = 0x0120;
    /** Failure: missing attribute value. */
    public static final int MISSING_ATTRIBUTE_VALUE = 0x0121;
    /** Failure: no such event type. */
    public static final int NO_SUCH_EVENT_TYPE = 0x0113;
    /** Failure: no such action type. */
    public static final int NO_SUCH_ACTION_TYPE = 0x0123;
    /** Failure: duplicate SOP instance. */
    public static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    /** Refused: SOP class not supported (no handler for it right now). */
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    /** Refused: not authorized. */
    public static final int NOT_AUTHORIZED = 0x0124;
    /** Failure: duplicate invocation (Message ID already in use). */
    public static final int DUPLICATE_INVOCATION = 0x0210;
    /** Failure: unrecognized operation (the handler does not perform this DIMSE service). */
    public static final int UNRECOGNIZED_OPERATION = 0x0211;
    /** Failure: mistyped argument. */
    public static final int MISTYPED_ARGUMENT = 0x0212;
    /** Failure: resource limitation. */
    public static final int RESOURCE_LIMITATION = 0x0213;
    /** Refused: out of resources (C-STORE 0xA7xx, C-FIND 0xA700). */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** Refused (C-GET, C-MOVE): out of resources, unable to calculate number of matches. */
    public static final int OUT_OF_RESOURCES_UNABLE_TO_CALCULATE_MATCHES = 0xA701;
    /** Refused (C-GET, C-MOVE): out of resources, unable to perform sub-operations. */
    public static final int OUT_OF_RESOURCES_UNABLE_TO_PERFORM_SUB_OPERATIONS = 0xA702;
    /** Refused (C-MOVE): move destination unknown. */
    public static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
    /** Error (C-STORE): data set does not match SOP class. */
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** Failed (C-FIND, C-GET, C-MOVE): identifier does not match SOP class. */
    public static final int IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** Error (C-STORE): cannot understand. */
    public static final int CANNOT_UNDERSTAND = 0xC000;
    /** C-STORE: unable to process, the handler failed unexpectedly. */
    public static final int STORE_UNABLE_TO_PROCESS = 0xC211;
    /** C-FIND: unable to process, the handler failed unexpectedly. */
    public static final int FIND_UNABLE_TO_PROCESS = 0xC311;
    /** C-GET: unable to process, the handler failed unexpectedly. */
    public static final int GET_UNABLE_TO_PROCESS = 0xC411;
    /** C-MOVE: unable to process, the handler failed unexpectedly. */
    public static final int MOVE_UNABLE_TO_PROCESS = 0xC511;

    private Status() {
    }

    public static boolean isPending(int status) {
        return status == PENDING || status == PENDING_WARNING;
    }

    public static boolean isSuccess(int status) {
        return status == SUCCESS;
    }

    public static boolean isCancel(int status) {
        return status == CANCEL;
    }

    /** Warnings: 0001, 0107, 0116 and Bxxx (PS3.7 C.1). */
    public static boolean isWarning(int status) {
        return status == 0x0001 || status == ATTRIBUTE_LIST_ERROR || status == ATTRIBUTE_VALUE_OUT_OF_RANGE
                || (status & 0xF000) == 0xB000;
    }

    /** Everything that is not success, pending, cancel or warning. */
    public static boolean isFailure(int status) {
        return !isSuccess(status) && !isPending(status) && !isCancel(status) && !isWarning(status);
    }

    /**
     * The failure status for a request whose handler threw something other than a
     * {@link DimseStatusException}: "unable to process" (Cx11) for the composite services that
     * define it, processing failure (0110H) for C-ECHO and the DIMSE-N services.
     */
    public static int forUnexpectedFailure(Dimse request) {
        return switch (request) {
            case C_STORE_RQ -> STORE_UNABLE_TO_PROCESS;
            case C_FIND_RQ -> FIND_UNABLE_TO_PROCESS;
            case C_GET_RQ -> GET_UNABLE_TO_PROCESS;
            case C_MOVE_RQ -> MOVE_UNABLE_TO_PROCESS;
            default -> PROCESSING_FAILURE;
        };
    }

    /** The status as hex with its category, for logs: {@code 0xA700 (failure)}. */
    public static String describe(int status) {
        String category = isSuccess(status) ? "success" : isPending(status) ? "pending"
                : isCancel(status) ? "cancel" : isWarning(status) ? "warning" : "failure";
        return String.format("0x%04X (%s)", status, category);
    }
}
