package org.mosaicpacs.dicom.net;

/**
 * An A-ABORT PDU (PS3.8 9.3.8): who aborted and, for the service-provider, why.
 *
 * @param source {@link #SOURCE_SERVICE_USER} or {@link #SOURCE_SERVICE_PROVIDER}
 * @param reason the diagnostic; significant only for the service-provider source
 */
public record AAbort(int source, int reason) {

    public static final int SOURCE_SERVICE_USER = 0;
    public static final int SOURCE_SERVICE_PROVIDER = 2;

    public static final int REASON_NOT_SPECIFIED = 0;
    public static final int REASON_UNRECOGNIZED_PDU = 1;
    public static final int REASON_UNEXPECTED_PDU = 2;
    public static final int REASON_UNRECOGNIZED_PDU_PARAMETER = 4;
    public static final int REASON_UNEXPECTED_PDU_PARAMETER = 5;
    public static final int REASON_INVALID_PDU_PARAMETER_VALUE = 6;

    public AAbort {
        if (source < 0 || source > 255 || reason < 0 || reason > 255) {
            throw new IllegalArgumentException("source and reason are single bytes");
        }
    }

    /** An abort by the service-user (the application). */
    public static AAbort byUser() {
        return new AAbort(SOURCE_SERVICE_USER, REASON_NOT_SPECIFIED);
    }

    /** An abort by the service-provider (the protocol machine) with a diagnostic. */
    public static AAbort byProvider(int reason) {
        return new AAbort(SOURCE_SERVICE_PROVIDER, reason);
    }

    /** The abort in the words of PS3.8 Table 9-26. */
    @Override
    public String toString() {
        String s = switch (source) {
            case SOURCE_SERVICE_USER -> "service-user";
            case 1 -> "reserved source 1";
            case SOURCE_SERVICE_PROVIDER -> "service-provider";
            default -> "source " + source;
        };
        if (source != SOURCE_SERVICE_PROVIDER) {
            return s;
        }
        return s + ", " + switch (reason) {
            case REASON_NOT_SPECIFIED -> "reason-not-specified";
            case REASON_UNRECOGNIZED_PDU -> "unrecognized-PDU";
            case REASON_UNEXPECTED_PDU -> "unexpected-PDU";
            case REASON_UNRECOGNIZED_PDU_PARAMETER -> "unrecognized-PDU-parameter";
            case REASON_UNEXPECTED_PDU_PARAMETER -> "unexpected-PDU-parameter";
            case REASON_INVALID_PDU_PARAMETER_VALUE -> "invalid-PDU-parameter-value";
            default -> "reason " + reason;
        };
    }
}
