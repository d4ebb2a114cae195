package org.mosaicpacs.service.query.internal;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.SpecificCharacterSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * The character set a Response Identifier is encoded in (PS3.4 C.4.1.1.3.2): the requestor's,
 * named in its Request Identifier, whenever every text value of the match can be written in it;
 * otherwise ISO_IR 192 (UTF-8), which holds any value, so that a name is never lost or mangled
 * (PS3.4 lets the SCP answer in another character set than the request's). Specific Character
 * Set (0008,0005) is present exactly when the answer uses more than the default repertoire.
 */
final class ResponseCharacterSet {

    private ResponseCharacterSet() {
    }

    /**
     * Sets (0008,0005) of a response identifier whose text values are held as decoded strings;
     * the writer encodes them in that character set.
     *
     * @param requested the Specific Character Set of the request identifier
     */
    static void apply(DataSet response, SpecificCharacterSet requested) {
        response.remove(Tag.SpecificCharacterSet);
        if (encodable(response, requested)) {
            if (!requested.isDefault()) {
                response.setString(Tag.SpecificCharacterSet, VR.CS, requested.terms().toArray(String[]::new));
            }
        } else {
            response.setString(Tag.SpecificCharacterSet, VR.CS, SpecificCharacterSet.UTF_8.terms().get(0));
        }
    }

    /** True if every text value, at any depth, can be encoded in {@code charset}. */
    static boolean encodable(DataSet data, SpecificCharacterSet charset) {
        for (int i = 0; i < data.size(); i++) {
            int tag = data.tagAt(i);
            VR vr = data.vrAt(i);
            if (vr == VR.SQ) {
                Sequence items = data.getSequence(tag);
                if (items != null) {
                    for (DataSet item : items) {
                        if (!encodable(item, charset)) {
                            return false;
                        }
                    }
                }
            } else if (vr.usesSpecificCharacterSet()) {
                String[] values = data.getStrings(tag);
                if (values != null && values.length > 0 && !charset.canEncode(String.join("\\", values), vr)) {
                    return false;
                }
            }
        }
        return true;
    }
}
