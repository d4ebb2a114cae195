package org.mosaicpacs.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.SpecificCharacterSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;

/**
 * Identifier keys as an admin types them, like DCMTK's {@code -k}: {@code PatientName=TOR*},
 * {@code StudyDate=20200101-}, {@code (0020,000D)=1.2.3}, or a keyword alone (or with "=") for a
 * return key. The identifier is sent in UTF-8 (ISO_IR 192), so names in any script can be typed.
 */
final class QueryKeys {

    private final Map<Integer, String> keys = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException naming a key that is no known attribute
     */
    QueryKeys(List<String> typed) {
        for (String k : typed == null ? List.<String>of() : typed) {
            int eq = k.indexOf('=');
            String name = (eq < 0 ? k : k.substring(0, eq)).strip();
            keys.put(tagOf(name), eq < 0 ? "" : k.substring(eq + 1));
        }
    }

    private static int tagOf(String name) {
        if (name.matches("\\(?[0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\\)?")) {
            return Tags.parse(name);
        }
        if (ElementDictionary.lookup(name) == null) {
            throw new IllegalArgumentException("'" + name + "' is not a DICOM keyword or (gggg,eeee) tag");
        }
        return ElementDictionary.tagOf(name);
    }

    /** Adds a return key unless the admin gave that attribute. */
    QueryKeys returning(int... tags) {
        for (int tag : tags) {
            keys.putIfAbsent(tag, "");
        }
        return this;
    }

    /** The value given for an attribute, or null. */
    String value(int tag) {
        return keys.get(tag);
    }

    /** The attributes in the order given (the table's columns). */
    List<Integer> tags() {
        return new ArrayList<>(keys.keySet());
    }

    /** The identifier: Query/Retrieve Level, Specific Character Set ISO_IR 192 and the keys. */
    DataSet identifier(String level) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, SpecificCharacterSet.UTF_8.terms().get(0));
        ds.setString(Tag.QueryRetrieveLevel, VR.CS, level);
        for (Map.Entry<Integer, String> e : keys.entrySet()) {
            VR vr = ElementDictionary.vrOf(e.getKey());
            if (vr == VR.SQ) {
                throw new IllegalArgumentException(ElementDictionary.keywordOf(e.getKey())
                        + " is a sequence: sequence keys are not supported here");
            }
            if (e.getValue().isEmpty()) {
                ds.setNull(e.getKey(), vr == null ? VR.UN : vr);
            } else {
                ds.setString(e.getKey(), vr == null ? VR.LO : vr, e.getValue().split("\\\\", -1));
            }
        }
        return ds;
    }

    /** The column title of an attribute: its keyword, or its tag. */
    static String title(int tag) {
        String keyword = ElementDictionary.keywordOf(tag);
        return keyword == null || keyword.isEmpty() ? Tags.toString(tag) : keyword;
    }

    /** An attribute's value in a response, multiple values joined with "\". */
    static String text(DataSet ds, int tag) {
        if (ds == null || !ds.containsValue(tag)) {
            return "";
        }
        String[] values = ds.getStrings(tag);
        return values == null ? "" : String.join("\\", values);
    }
}
