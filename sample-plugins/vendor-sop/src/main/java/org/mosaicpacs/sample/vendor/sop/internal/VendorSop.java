package org.mosaicpacs.sample.vendor.sop.internal;

/**
 * The sample vendor's definitions: its private storage SOP class and the attributes every
 * instance of it must carry.
 */
final class VendorSop {

    /**
     * "ACME Raw Acquisition Storage": a UUID-derived UID (PS3.5 B.2), unique without a registered
     * root. A real vendor uses a UID under its own organisation root.
     */
    static final String SOP_CLASS_UID = "2.25.143386390196214745018843061307946613287";

    /** Private Creator of the vendor's block in group 0019 (PS3.5 7.8.1). */
    static final String PRIVATE_CREATOR = "ACME RAW 1.0";
    /** Element offset of the acquisition protocol version in that block, e.g. "3.2". */
    static final int PROTOCOL_VERSION = 0x10;
    /** Element offset of the detector ID in that block. */
    static final int DETECTOR_ID = 0x11;
    /** Private group of the block. */
    static final int PRIVATE_GROUP = 0x0019;

    private VendorSop() {
    }
}
