package org.mosaicpacs.dicom.net;

/**
 * The DIMSE messages, by Command Field (0000,0100) (PS3.7 E.1, Table E.1-1).
 */
public enum Dimse {
    C_STORE_RQ(0x0001), C_STORE_RSP(0x8001),
    C_GET_RQ(0x0010), C_GET_RSP(0x8010),
    C_FIND_RQ(0x0020), C_FIND_RSP(0x8020),
    C_MOVE_RQ(0x0021), C_MOVE_RSP(0x8021),
    C_ECHO_RQ(0x0030), C_ECHO_RSP(0x8030),
    N_EVENT_REPORT_RQ(0x0100), N_EVENT_REPORT_RSP(0x8100),
    N_GET_RQ(0x0110), N_GET_RSP(0x8110),
    N_SET_RQ(0x0120), N_SET_RSP(0x8120),
    N_ACTION_RQ(0x0130), N_ACTION_RSP(0x8130),
    N_CREATE_RQ(0x0140), N_CREATE_RSP(0x8140),
    N_DELETE_RQ(0x0150), N_DELETE_RSP(0x8150),
    C_CANCEL_RQ(0x0FFF);

    private final int commandField;

    Dimse(int commandField) {
        this.commandField = commandField;
    }

    /** The Command Field value. */
    public int commandField() {
        return commandField;
    }

    /** True for responses (bit 15 of the Command Field set). */
    public boolean isResponse() {
        return (commandField & 0x8000) != 0;
    }

    /** True for the DIMSE-N messages, which name their SOP class and instance differently (PS3.7 10.1). */
    public boolean isN() {
        return (commandField & 0x0100) != 0;
    }

    /** True for requests the performer may see cancelled and answer with several pending responses. */
    public boolean isCancellable() {
        return this == C_FIND_RQ || this == C_GET_RQ || this == C_MOVE_RQ;
    }

    /** The response to this request. */
    public Dimse response() {
        if (isResponse() || this == C_CANCEL_RQ) {
            throw new IllegalStateException(this + " has no response");
        }
        return of(commandField | 0x8000);
    }

    /** The message for a Command Field value, or null if it is none of PS3.7's. */
    public static Dimse of(int commandField) {
        for (Dimse d : values()) {
            if (d.commandField == commandField) {
                return d;
            }
        }
        return null;
    }

    /** The name as the standard writes it: C-STORE-RQ. */
    @Override
    public String toString() {
        return name().replace('_', '-');
    }
}
