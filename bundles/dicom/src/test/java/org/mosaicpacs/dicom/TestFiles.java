package org.mosaicpacs.dicom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.testing.TestData;

/** The files every comparison with an independent implementation runs on. */
public final class TestFiles {

    /** Files we refuse to read, with the reason; pydicom reads what it can of them. */
    public static final Map<String, String> WE_REJECT = Map.of(
            "MR_truncated.dcm", "Pixel Data is cut short: we report a DicomParseException, pydicom keeps a short value",
            "rtplan_truncated.dcm", "truncated inside a sequence: DicomParseException; pydicom returns what it read",
            "README", "a text file in pydicom's DICOMDIR test tree, not DICOM; pydicom's force=True reads one bogus element",
            "DICOMDIR-nooffset", "truncated: the last directory record claims 248 bytes, the file ends 224 bytes"
                    + " later; pydicom and dcmdump keep the short item",
            "no_meta.dcm", "starts one byte off (a stray 0x20 before (0008,0005)): no element header can be read;"
                    + " pydicom's force=True reads one bogus element, dcmdump fails too");

    private TestFiles() {
    }

    /** Every real file pydicom ships, then every file of the mixed corpus. */
    public static List<Path> realAndMixed() {
        List<Path> files = new ArrayList<>(TestData.realDicomFiles());
        files.addAll(TestData.dicomFilesUnder(TestData.mixedCorpus()));
        return files;
    }

    /** True for the files {@link #WE_REJECT} lists. */
    public static boolean rejected(Path file) {
        return WE_REJECT.containsKey(file.getFileName().toString());
    }

    /**
     * What DICOM JSON and XML can give back of a data set: a copy without Group Lengths (PS3.18
     * F.2.2, PS3.19 A.1), encapsulated Pixel Data as the bulk data reference of its items, and,
     * with {@code personNamesAsComponents}, PN values in their normal form (trailing empty
     * components and groups removed: the XML model has no place for them).
     */
    public static DataSet comparable(DataSet dataSet, boolean personNamesAsComponents) {
        DataSet copy = dataSet.deepCopy();
        normalise(copy, personNamesAsComponents);
        return copy;
    }

    private static void normalise(DataSet ds, boolean personNames) {
        for (int tag : ds.tags()) {
            Object v = ds.getValue(tag);
            if (Tags.isGroupLength(tag)) {
                ds.remove(tag);
            } else if (v instanceof Sequence seq) {
                seq.forEach(item -> normalise(item, personNames));
            } else if (v instanceof Fragments f && f.source() != null) {
                ds.setBulkData(tag, ds.vr(tag), f.source());
            } else if (personNames && ds.vr(tag) == VR.PN && ds.containsValue(tag)) {
                ds.setPersonName(tag, ds.getPersonNames(tag));
            }
        }
    }

    /** Where two data sets differ, element by element, for failure messages; empty if they are equal. */
    public static List<String> differences(DataSet expected, DataSet actual) {
        List<String> diffs = new ArrayList<>();
        differences(expected, actual, "", diffs);
        if (diffs.isEmpty() && !expected.equals(actual)) {
            diffs.add("not equal, but no element differs in its strings or bytes");
        }
        return diffs;
    }

    private static void differences(DataSet e, DataSet a, String path, List<String> diffs) {
        java.util.TreeSet<Integer> tags = new java.util.TreeSet<>(java.util.Comparator.comparingLong(Integer::toUnsignedLong));
        for (int t : e.tags()) {
            tags.add(t);
        }
        for (int t : a.tags()) {
            tags.add(t);
        }
        for (int tag : tags) {
            String where = path + Tags.toString(tag);
            if (!e.contains(tag) || !a.contains(tag)) {
                diffs.add(where + (e.contains(tag) ? " missing" : " extra"));
            } else if (e.vr(tag) != a.vr(tag)) {
                diffs.add(where + " VR " + a.vr(tag) + ", expected " + e.vr(tag));
            } else if (e.getSequence(tag) != null && a.getSequence(tag) != null) {
                Sequence x = e.getSequence(tag);
                Sequence y = a.getSequence(tag);
                if (x.size() != y.size()) {
                    diffs.add(where + " " + y.size() + " items, expected " + x.size());
                } else {
                    for (int k = 0; k < x.size(); k++) {
                        differences(x.get(k), y.get(k), where + "[" + k + "]", diffs);
                    }
                }
            } else {
                Object x = describe(e, tag);
                Object y = describe(a, tag);
                if (!x.equals(y)) {
                    diffs.add(where + " " + e.vr(tag) + " " + y + ", expected " + x);
                }
            }
        }
    }

    private static Object describe(DataSet ds, int tag) {
        Object v = ds.getValue(tag);
        if (v instanceof byte[] && ds.vr(tag).kind() == VR.Kind.BYTES) {
            return java.util.HexFormat.of().formatHex(ds.getBytes(tag));
        }
        if (ds.vr(tag) == VR.PN) {
            List<String> names = java.util.Arrays.stream(ds.getPersonNames(tag)).map(PersonName::toString).toList();
            return names.stream().allMatch(String::isEmpty) ? List.of() : names;
        }
        if (v instanceof byte[] || v instanceof String) {
            return java.util.Arrays.stream(ds.getStrings(tag)).map(s -> {
                if (ds.vr(tag) != VR.DS && ds.vr(tag) != VR.IS) {
                    return s;
                }
                try {
                    return new java.math.BigDecimal(s.startsWith("+") ? s.substring(1) : s).stripTrailingZeros().toPlainString();
                } catch (NumberFormatException e) {
                    return s;
                }
            }).toList();
        }
        return String.valueOf(v);
    }

    /** "folder/name" for test names. */
    public static String name(Path file) {
        Path parent = file.getParent();
        return (parent == null ? "" : parent.getFileName() + "/") + file.getFileName();
    }
}
