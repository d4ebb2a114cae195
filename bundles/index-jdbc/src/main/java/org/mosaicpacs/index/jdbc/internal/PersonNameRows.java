package org.mosaicpacs.index.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;

/**
 * The {@code person_name} rows of an entity: each component group of a name in normal form
 * ({@link PersonNames#normalize}), so that "HONG*" or "홍*" is an index range scan, and the
 * phonetic codes of the family name (group {@value #PHONETIC_CODE}) for fuzzy matching.
 */
final class PersonNameRows {

    /** The indexed PN attributes and the entity that owns them. */
    enum Attr {
        PATIENT_NAME(1, Tag.PatientName),
        REFERRING_PHYSICIAN_NAME(2, Tag.ReferringPhysicianName);

        final int code;
        final int tag;

        Attr(int code, int tag) {
            this.code = code;
            this.tag = tag;
        }
    }

    /** The {@code grp} of phonetic code rows; 0, 1 and 2 are the component groups. */
    static final int PHONETIC_CODE = 3;

    /** Width of the {@code norm} column. */
    static final int WIDTH = 400;

    private PersonNameRows() {
    }

    /** Replaces the rows of one attribute of an entity with those of its current value. */
    static void write(Connection c, long owner, Attr attr, DataSet attrs, boolean replace) throws SQLException {
        if (replace) {
            delete(c, owner, attr);
        }
        String[] values = attrs.getStrings(attr.tag);
        if (values.length == 0) {
            return;
        }
        Set<Row> rows = new LinkedHashSet<>();
        for (String value : values) {
            String[] groups = PersonNames.groups(value);
            for (int g = 0; g < groups.length; g++) {
                if (!groups[g].isEmpty()) {
                    rows.add(new Row(g, fit(PersonNames.normalize(groups[g]))));
                }
            }
            for (String code : PersonNames.familyNameCodes(value)) {
                rows.add(new Row(PHONETIC_CODE, code));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO person_name (owner_fk, attr, grp, norm) VALUES (?, ?, ?, ?)")) {
            for (Row row : rows) {
                ps.setLong(1, owner);
                ps.setInt(2, attr.code);
                ps.setInt(3, row.group());
                ps.setString(4, row.norm());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Removes every row of an entity. */
    static void delete(Connection c, long owner, Attr attr) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM person_name WHERE owner_fk = ? AND attr = ?")) {
            ps.setLong(1, owner);
            ps.setInt(2, attr.code);
            ps.executeUpdate();
        }
    }

    private record Row(int group, String norm) {
    }

    private static String fit(String s) {
        return s.length() <= WIDTH ? s : s.substring(0, WIDTH);
    }
}
