package org.mosaicpacs.dicom.net;

/**
 * An A-ASSOCIATE-RJ PDU (PS3.8 9.3.4): result, source and reason/diagnostic.
 *
 * @param result {@link #REJECTED_PERMANENT} or {@link #REJECTED_TRANSIENT}
 * @param source {@link #SOURCE_SERVICE_USER}, {@link #SOURCE_SERVICE_PROVIDER_ACSE} or {@link #SOURCE_SERVICE_PROVIDER_PRESENTATION}
 * @param reason the reason, whose meaning depends on the source
 */
public record AAssociateRj(int result, int source, int reason) {

    public static final int REJECTED_PERMANENT = 1;
    public static final int REJECTED_TRANSIENT = 2;

    /** DICOM UL service-user. */
    public static final int SOURCE_SERVICE_USER = 1;
    /** DICOM UL service-provider (ACSE related function). */
    public static final int SOURCE_SERVICE_PROVIDER_ACSE = 2;
    /** DICOM UL service-provider (Presentation related function). */
    public static final int SOURCE_SERVICE_PROVIDER_PRESENTATION = 3;

    /** Service-user: no reason given. */
    public static final int REASON_NO_REASON_GIVEN = 1;
    /** Service-user: application context name not supported. */
    public static final int REASON_APPLICATION_CONTEXT_NOT_SUPPORTED = 2;
    /** Service-user: calling AE title not recognized. */
    public static final int REASON_CALLING_AE_NOT_RECOGNIZED = 3;
    /** Service-user: called AE title not recognized. */
    public static final int REASON_CALLED_AE_NOT_RECOGNIZED = 7;
    /** Service-provider (ACSE): protocol version not supported. */
    public static final int REASON_PROTOCOL_VERSION_NOT_SUPPORTED = 2;
    /** Service-provider (Presentation): temporary congestion. */
    public static final int REASON_TEMPORARY_CONGESTION = 1;
    /** Service-provider (Presentation): local limit exceeded. */
    public static final int REASON_LOCAL_LIMIT_EXCEEDED = 2;

    public AAssociateRj {
        if (result < 0 || result > 255 || source < 0 || source > 255 || reason < 0 || reason > 255) {
            throw new IllegalArgumentException("result, source and reason are single bytes");
        }
    }

    /** Called AE title not recognized: permanent, service-user. */
    public static AAssociateRj calledAeNotRecognized() {
        return new AAssociateRj(REJECTED_PERMANENT, SOURCE_SERVICE_USER, REASON_CALLED_AE_NOT_RECOGNIZED);
    }

    /** Calling AE title not recognized: permanent, service-user. */
    public static AAssociateRj callingAeNotRecognized() {
        return new AAssociateRj(REJECTED_PERMANENT, SOURCE_SERVICE_USER, REASON_CALLING_AE_NOT_RECOGNIZED);
    }

    /** Too many associations: transient, service-provider (presentation), local limit exceeded. */
    public static AAssociateRj localLimitExceeded() {
        return new AAssociateRj(REJECTED_TRANSIENT, SOURCE_SERVICE_PROVIDER_PRESENTATION, REASON_LOCAL_LIMIT_EXCEEDED);
    }

    /** The rejection in the words of PS3.8 Table 9-21. */
    @Override
    public String toString() {
        String r = switch (result) {
            case REJECTED_PERMANENT -> "rejected-permanent";
            case REJECTED_TRANSIENT -> "rejected-transient";
            default -> "result " + result;
        };
        String s;
        String why;
        switch (source) {
            case SOURCE_SERVICE_USER -> {
                s = "service-user";
                why = switch (reason) {
                    case REASON_NO_REASON_GIVEN -> "no-reason-given";
                    case REASON_APPLICATION_CONTEXT_NOT_SUPPORTED -> "application-context-name-not-supported";
                    case REASON_CALLING_AE_NOT_RECOGNIZED -> "calling-AE-title-not-recognized";
                    case REASON_CALLED_AE_NOT_RECOGNIZED -> "called-AE-title-not-recognized";
                    default -> "reason " + reason;
                };
            }
            case SOURCE_SERVICE_PROVIDER_ACSE -> {
                s = "service-provider (ACSE)";
                why = reason == 1 ? "no-reason-given"
                        : reason == REASON_PROTOCOL_VERSION_NOT_SUPPORTED ? "protocol-version-not-supported" : "reason " + reason;
            }
            case SOURCE_SERVICE_PROVIDER_PRESENTATION -> {
                s = "service-provider (presentation)";
                why = reason == REASON_TEMPORARY_CONGESTION ? "temporary-congestion"
                        : reason == REASON_LOCAL_LIMIT_EXCEEDED ? "local-limit-exceeded" : "reason " + reason;
            }
            default -> {
                s = "source " + source;
                why = "reason " + reason;
            }
        }
        return r + ", " + s + ", " + why;
    }
}
