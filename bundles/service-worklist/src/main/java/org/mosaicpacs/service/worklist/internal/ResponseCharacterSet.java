package org.mosaicpacs.service.worklist.internal;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.SpecificCharacterSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * The character set of a response identifier (PS3.4 C.4.1.1.3.2, which K.4.1.1.3.2 refers to):
 * the requestor's whenever every text value of the item can be written in it, otherwise ISO_IR 192
 * (UTF-8), so a name is never lost or mangled. (0008,0005) is present exactly when the answer uses
 * more than the default repertoire. The same rule as the Query/Retrieve C-FIND SCP.
 */
final class ResponseCharacterSet {

    private ResponseCharacterSet() {
    }

    /** Sets (0008,0005) of a response held as characters; the writer encodes them in it. */
    static void apply(DataSet response, SpecificCharacterSet requested) {
        response.remove(Tag.SpecificCharacterSet);
        SpecificCharacterSet chosen = encodable(response, requested) ? requested : SpecificCharacterSet.UTF_8;
        if (!chosen.isDefault()) {
            response.setString(Tag.SpecificCharacterSet, VR.CS, chosen.terms().toArray(String[]::new));
        }
    }

    /** True if every text value, at any depth, can be encoded in {@code charset}. */
    static boolean encodable(DataSet data, SpecificCharacterSet charset) {
        for (int i = 0; i < data.size(); i++) {
            VR vr = data.vrAt(i);
            if (vr == VR.SQ) {
                Sequence items = data.getSequence(data.tagAt(i));
                if (items != null) {
                    for (DataSet item : items) {
                        if (!encodable(item, charset)) {
                            return false;
                        }
                    }
                }
            } else if (vr.usesSpecificCharacterSet()) {
                String[] values = data.getStrings(data.tagAt(i));
                if (values.length > 0 && !charset.canEncode(String.join("\\", values), vr)) {
                    return false;
                }
            }
        }
        return true;
    }
}
