package org.mosaicpacs.service.mpps.internal;

import org.mosaicpacs.api.mpps.MppsEvents;

/**
 * Performed Procedure Step Status (0040,0252), PS3.3 C.4.14: a step is created IN PROGRESS and
 * ends, once, as COMPLETED or DISCONTINUED (PS3.4 F.7.2.2.3: no N-SET after that).
 */
enum MppsStatus {
    IN_PROGRESS(MppsEvents.STATUS_IN_PROGRESS, MppsEvents.IN_PROGRESS, "STARTED"),
    COMPLETED(MppsEvents.STATUS_COMPLETED, MppsEvents.COMPLETED, "COMPLETED"),
    DISCONTINUED(MppsEvents.STATUS_DISCONTINUED, MppsEvents.DISCONTINUED, "DISCONTINUED");

    private final String value;
    private final String topic;
    private final String scheduledStepStatus;

    MppsStatus(String value, String topic, String scheduledStepStatus) {
        this.value = value;
        this.topic = topic;
        this.scheduledStepStatus = scheduledStepStatus;
    }

    /** The DICOM value, e.g. {@code IN PROGRESS}. */
    String value() {
        return value;
    }

    /** The event topic announcing that a step reached this status. */
    String topic() {
        return topic;
    }

    /** Scheduled Procedure Step Status (0040,0020) the linked worklist items get (PS3.3 C.4.10). */
    String scheduledStepStatus() {
        return scheduledStepStatus;
    }

    boolean isFinal() {
        return this != IN_PROGRESS;
    }

    /** The status with exactly this DICOM value (CS: upper case, trailing spaces ignored), or null. */
    static MppsStatus of(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        for (MppsStatus s : values()) {
            if (s.value.equals(v)) {
                return s;
            }
        }
        return null;
    }

    /** A status named in a REST filter: the DICOM value, or with "_" for the space, in any case; or null. */
    static MppsStatus parseFilter(String text) {
        return text == null ? null : of(text.replace('_', ' ').toUpperCase(java.util.Locale.ROOT));
    }
}
