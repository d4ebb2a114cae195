package org.mosaicpacs.dicom.net;

/**
 * Optional fields of a C-STORE-RQ (PS3.7 9.3.1.1).
 *
 * @param priority {@link #MEDIUM}, {@link #HIGH} or {@link #LOW}
 * @param moveOriginatorAeTitle the AE title of the C-MOVE SCU when this store is a C-MOVE
 *        sub-operation, else null
 * @param moveOriginatorMessageId the Message ID of that C-MOVE-RQ, or -1
 */
public record StoreOptions(int priority, String moveOriginatorAeTitle, int moveOriginatorMessageId) {

    public static final int MEDIUM = 0;
    public static final int HIGH = 1;
    public static final int LOW = 2;

    /** Medium priority, not a C-MOVE sub-operation. */
    public static final StoreOptions DEFAULT = new StoreOptions(MEDIUM, null, -1);

    public StoreOptions {
        if (priority < 0 || priority > 2) {
            throw new IllegalArgumentException("priority must be 0 (medium), 1 (high) or 2 (low)");
        }
    }

    /** Options for a C-STORE sub-operation of a C-MOVE. */
    public static StoreOptions moveSubOperation(String originatorAeTitle, int originatorMessageId) {
        return new StoreOptions(MEDIUM, originatorAeTitle, originatorMessageId);
    }
}
