package org.mosaicpacs.dicom;

/**
 * One UID of PS3.6 Table A-1.
 *
 * @param uid the UID
 * @param keyword the keyword, e.g. "CTImageStorage"; may be empty
 * @param name the name, e.g. "CT Image Storage"
 * @param type the UID type as PS3.6 writes it: "SOP Class", "Transfer Syntax", "Well-known SOP
 *        Instance", "Well-known frame of reference", "Coding Scheme", "Meta SOP Class", ...
 * @param retired true for retired UIDs
 * @param storage true for a Storage SOP class of the Storage Service Class (PS3.4 Annex B)
 */
public record UidEntry(String uid, String keyword, String name, String type, boolean retired, boolean storage) {

    /** Type of SOP Class UIDs. */
    public static final String SOP_CLASS = "SOP Class";
    /** Type of Transfer Syntax UIDs. */
    public static final String TRANSFER_SYNTAX = "Transfer Syntax";
    /** Type of well-known SOP Instance UIDs. */
    public static final String WELL_KNOWN_SOP_INSTANCE = "Well-known SOP Instance";
}
