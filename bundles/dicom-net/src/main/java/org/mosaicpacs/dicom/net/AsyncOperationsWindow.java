package org.mosaicpacs.dicom.net;

/**
 * Asynchronous Operations Window sub-item (PS3.7 D.3.3.3). Both numbers are seen from the
 * association-requestor: how many operations it may have outstanding as invoker and as performer.
 * Zero means unlimited. Without this item both are 1 (synchronous operation).
 *
 * @param maxOperationsInvoked outstanding requests the requestor may have sent and not seen answered
 * @param maxOperationsPerformed outstanding requests the requestor may be performing for its peer
 */
public record AsyncOperationsWindow(int maxOperationsInvoked, int maxOperationsPerformed) {

    /** Synchronous operation, the default when the item is absent. */
    public static final AsyncOperationsWindow SYNCHRONOUS = new AsyncOperationsWindow(1, 1);

    public AsyncOperationsWindow {
        if (maxOperationsInvoked < 0 || maxOperationsInvoked > 0xFFFF
                || maxOperationsPerformed < 0 || maxOperationsPerformed > 0xFFFF) {
            throw new IllegalArgumentException("operation window values must be 0..65535");
        }
    }

    /** The smaller of two limits where 0 means unlimited. */
    public static int min(int a, int b) {
        if (a == 0) {
            return b;
        }
        return b == 0 ? a : Math.min(a, b);
    }
}
