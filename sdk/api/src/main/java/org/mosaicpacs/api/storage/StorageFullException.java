package org.mosaicpacs.api.storage;

/**
 * The backend refuses a new object because it would leave less free space than its configured
 * reserve. Nothing was written. DIMSE maps this to C-STORE status A700 (Out of Resources) and
 * DICOMweb to 507 or 503; objects already stored are unaffected.
 */
public class StorageFullException extends StorageException {

    private static final long serialVersionUID = 1L;

    public StorageFullException(String message) {
        super(message);
    }
}
