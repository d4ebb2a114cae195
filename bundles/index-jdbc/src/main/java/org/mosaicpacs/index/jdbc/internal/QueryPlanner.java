package org.mosaicpacs.index.jdbc.internal;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.PersonName;
import org.mosaicpacs.dicom.Range;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * Turns an {@link IndexQuery} into SQL. Keys on indexed columns become predicates the database
 * decides exactly (same result as {@link KeyMatcher}): UIDs as IN lists, single values as
 * equality, wild cards as a prefix range (an index range scan) plus LIKE for the rest, dates and
 * times as ranges, PN keys through {@code person_name}, Modalities and SOP Classes in Study as
 * EXISTS. Every other key is matched in Java on the entity's stored attributes; predicates that
 * only narrow (fuzzy or case-sensitive names) are checked again in Java. When Java has nothing
 * to check, offset and limit are applied by the database.
 */
final class QueryPlanner {

    /** How a column's values are compared. */
    private enum Kind { TEXT, UID, DATE, TIME, INTEGER }

    private record Column(QueryLevel level, String expr, Kind kind) {
    }

    private static final Map<Integer, Column> COLUMNS = Map.ofEntries(
            Map.entry(Tag.PatientID, new Column(QueryLevel.PATIENT, "p.pat_id", Kind.TEXT)),
            Map.entry(Tag.IssuerOfPatientID, new Column(QueryLevel.PATIENT, "p.pat_issuer", Kind.TEXT)),
            Map.entry(Tag.PatientBirthDate, new Column(QueryLevel.PATIENT, "p.pat_birthdate", Kind.DATE)),
            Map.entry(Tag.PatientSex, new Column(QueryLevel.PATIENT, "p.pat_sex", Kind.TEXT)),
            Map.entry(Tag.StudyInstanceUID, new Column(QueryLevel.STUDY, "s.study_uid", Kind.UID)),
            Map.entry(Tag.StudyDate, new Column(QueryLevel.STUDY, "s.study_date", Kind.DATE)),
            Map.entry(Tag.StudyTime, new Column(QueryLevel.STUDY, "s.study_time", Kind.TIME)),
            Map.entry(Tag.AccessionNumber, new Column(QueryLevel.STUDY, "s.accession_no", Kind.TEXT)),
            Map.entry(Tag.StudyID, new Column(QueryLevel.STUDY, "s.study_id", Kind.TEXT)),
            Map.entry(Tag.StudyDescription, new Column(QueryLevel.STUDY, "s.study_desc", Kind.TEXT)),
            Map.entry(Tag.SeriesInstanceUID, new Column(QueryLevel.SERIES, "r.series_uid", Kind.UID)),
            Map.entry(Tag.Modality, new Column(QueryLevel.SERIES, "r.modality", Kind.TEXT)),
            Map.entry(Tag.SeriesNumber, new Column(QueryLevel.SERIES, "r.series_number", Kind.INTEGER)),
            Map.entry(Tag.SeriesDescription, new Column(QueryLevel.SERIES, "r.series_desc", Kind.TEXT)),
            Map.entry(Tag.SOPInstanceUID, new Column(QueryLevel.IMAGE, "i.sop_uid", Kind.UID)),
            Map.entry(Tag.SOPClassUID, new Column(QueryLevel.IMAGE, "i.sop_class_uid", Kind.UID)),
            Map.entry(Tag.InstanceNumber, new Column(QueryLevel.IMAGE, "i.instance_number", Kind.INTEGER)));

    private static final String[] ALIAS = {"p", "s", "r", "i"};
    private static final String[] TABLE = {"patient", "study", "series", "instance"};
    /** The column of each level's table that refers to its parent. */
    private static final String[] PARENT_KEY = {null, "patient_fk", "study_fk", "series_fk"};

    /**
     * A planned query.
     *
     * @param sql          the statement
     * @param params       its parameters (String, Integer)
     * @param javaTags     top-level keys {@link KeyMatcher} decides
     * @param returnTags   top-level keys that are returned
     * @param attrLevels   levels whose stored attributes the rows carry
     * @param pagedInSql   offset and limit+1 are in the statement
     */
    record Plan(String sql, List<Object> params, QueryLevel level, int[] javaTags, int[] returnTags,
                Set<QueryLevel> attrLevels, boolean pagedInSql) {
    }

    private final Dialect dialect;
    private final boolean sqlMatching;

    /** @param sqlMatching false to leave all matching to Java (a test reference for the SQL) */
    QueryPlanner(Dialect dialect, boolean sqlMatching) {
        this.dialect = dialect;
        this.sqlMatching = sqlMatching;
    }

    /**
     * How well a condition narrows the rows, without statistics: the join starts at the entity
     * of the best condition. A name prefix of two or more characters usually beats a date range,
     * a range of a month or less usually beats a name prefix.
     */
    private static final int RANK_UID = 10;
    private static final int RANK_IDENTIFIER = 20;
    private static final int RANK_SHORT_DATE_RANGE = 25;
    private static final int RANK_NAME_PREFIX = 30;
    private static final int RANK_RANGE = 40;
    private static final int RANK_SHORT_NAME_PREFIX = 50;
    private static final int RANK_NO_INDEX = 90;

    /**
     * One SQL condition, the entity it is on and its rank (see {@code RANK_*}). A PN condition
     * that can start the join carries its {@code person_name} subquery as {@code driverTable}.
     */
    private record Predicate(String sql, List<Object> params, QueryLevel table, int rank, String driverTable) {

        Predicate(String sql, List<Object> params, QueryLevel table, int rank) {
            this(sql, params, table, rank, null);
        }
    }

    /** The conditions of a query, in key order. */
    private static final class Where {
        final List<Predicate> predicates = new ArrayList<>();

        void add(Predicate p) {
            predicates.add(p);
        }

        /** The condition the join starts from: the best ranked, the deepest entity among equals; null for none. */
        Predicate driver(QueryLevel level) {
            Predicate best = null;
            for (Predicate p : predicates) {
                if (p.rank() < RANK_NO_INDEX && (best == null || p.rank() < best.rank()
                        || p.rank() == best.rank() && p.table().compareTo(best.table()) > 0)) {
                    best = p;
                }
            }
            return best;
        }
    }

    /**
     * Plans a query.
     *
     * @param limit the most matches to return (0: unlimited)
     * @throws IllegalArgumentException if a key cannot be parsed or a hierarchical query lacks a unique key
     */
    Plan plan(IndexQuery query, MatchOptions options, int limit) {
        DataSet keys = query.keys();
        QueryLevel level = query.level();
        KeyMatcher.validate(keys);
        if (!query.relational()) {
            requireUniqueKeys(query);
        }
        List<Integer> javaTags = new ArrayList<>();
        List<Integer> returnTags = new ArrayList<>();
        Set<QueryLevel> attrLevels = EnumSet.noneOf(QueryLevel.class);
        Where where = new Where();
        boolean combinedStudy = options.combinedDateTime() && KeyMatcher.isCombined(keys, Tag.StudyDate, Tag.StudyTime);

        for (int tag : keys.tags()) {
            QueryLevel tagLevel = AttributeLevels.levelOf(tag);
            if (AttributeLevels.isNotEntity(tag) || tagLevel.compareTo(level) > 0) {
                continue; // not an entity attribute, or below the query level: ignored (PS3.4 C.4.1.2.1)
            }
            returnTags.add(tag);
            if (!AttributeLevels.isDerived(tag)) {
                attrLevels.add(tagLevel);
            }
            if (KeyMatcher.isUniversal(keys, tag)) {
                continue;
            }
            boolean exact = sqlMatching && predicate(tag, keys, options, combinedStudy, where);
            if (!exact) {
                javaTags.add(tag);
            }
        }
        if (query.allAttributes()) {
            for (QueryLevel l : QueryLevel.values()) {
                if (l.compareTo(level) <= 0) {
                    attrLevels.add(l);
                }
            }
        }

        Predicate driver = where.driver(level);
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(selectList(level, attrLevels)).append(" FROM ");
        sql.append(derbyHint("joinOrder=FIXED")); // Derby misjudges ranges without statistics: the planner's order is better
        sql.append(from(level, driver, params));
        List<String> conditions = new ArrayList<>();
        for (Predicate p : where.predicates) {
            if (p != driver || p.driverTable() == null) {
                conditions.add(p.sql());
                params.addAll(p.params());
            }
        }
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        sql.append(" ORDER BY ").append(ALIAS[level.ordinal()]).append(".pk");
        boolean pagedInSql = javaTags.isEmpty();
        if (pagedInSql) {
            if (query.offset() > 0) {
                sql.append(" OFFSET ").append(query.offset()).append(" ROWS");
            }
            if (limit > 0) {
                sql.append(" FETCH FIRST ").append(limit + 1).append(" ROWS ONLY");
            }
        }
        return new Plan(sql.toString(), params, level, toArray(javaTags), toArray(returnTags), attrLevels, pagedInSql);
    }

    private static int[] toArray(List<Integer> tags) {
        return tags.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Hierarchical queries name one entity per level above the query level by its unique key (PS3.4 C.4.1.2.2.1). */
    private static void requireUniqueKeys(IndexQuery query) {
        List<Integer> required = new ArrayList<>();
        QueryLevel level = query.level();
        if (query.model() == InformationModel.PATIENT_ROOT && level.compareTo(QueryLevel.PATIENT) > 0) {
            required.add(Tag.PatientID);
        }
        if (level.compareTo(QueryLevel.STUDY) > 0) {
            required.add(Tag.StudyInstanceUID);
        }
        if (level.compareTo(QueryLevel.SERIES) > 0) {
            required.add(Tag.SeriesInstanceUID);
        }
        for (int tag : required) {
            if (KeyMatcher.isUniversal(query.keys(), tag) || KeyMatcher.hasWildcard(query.keys().getString(tag))) {
                throw new IllegalArgumentException("a hierarchical " + level + " query needs a value for the unique key "
                        + ElementDictionary.keywordOf(tag) + " of the level above (or a relational query)");
            }
        }
    }

    private static String selectList(QueryLevel level, Set<QueryLevel> attrLevels) {
        StringBuilder b = new StringBuilder("p.pk, p.pat_id, p.num_studies, p.num_series, p.num_instances");
        b.append(attrLevels.contains(QueryLevel.PATIENT) ? ", p.attrs" : "");
        if (level.compareTo(QueryLevel.STUDY) >= 0) {
            b.append(", s.pk, s.study_uid, s.modalities, s.sop_classes, s.num_series, s.num_instances");
            b.append(attrLevels.contains(QueryLevel.STUDY) ? ", s.attrs" : "");
        }
        if (level.compareTo(QueryLevel.SERIES) >= 0) {
            b.append(", r.pk, r.series_uid, r.num_instances");
            b.append(attrLevels.contains(QueryLevel.SERIES) ? ", r.attrs" : "");
        }
        if (level == QueryLevel.IMAGE) {
            b.append(", i.pk, i.sop_uid");
            b.append(attrLevels.contains(QueryLevel.IMAGE) ? ", i.attrs" : "");
        }
        return b.toString();
    }

    /**
     * The FROM clause, starting at the driving condition's table (or its person_name subquery)
     * and joining along the keys: up to the patient, then down to the query level.
     */
    private static String from(QueryLevel level, Predicate driver, List<Object> params) {
        QueryLevel start = driver == null ? level : driver.table();
        StringBuilder b = new StringBuilder();
        if (driver != null && driver.driverTable() != null) {
            b.append("(").append(driver.driverTable()).append(") n JOIN ").append(TABLE[start.ordinal()]).append(' ')
                    .append(ALIAS[start.ordinal()]).append(" ON ").append(ALIAS[start.ordinal()]).append(".pk = n.owner_fk");
            params.addAll(driver.params());
        } else {
            b.append(TABLE[start.ordinal()]).append(' ').append(ALIAS[start.ordinal()]);
        }
        for (int l = start.ordinal() - 1; l >= 0; l--) {
            b.append(" JOIN ").append(TABLE[l]).append(' ').append(ALIAS[l]).append(" ON ").append(ALIAS[l])
                    .append(".pk = ").append(ALIAS[l + 1]).append('.').append(PARENT_KEY[l + 1]);
        }
        for (int l = start.ordinal() + 1; l <= level.ordinal(); l++) {
            b.append(" JOIN ").append(TABLE[l]).append(' ').append(ALIAS[l]).append(" ON ").append(ALIAS[l]).append('.')
                    .append(PARENT_KEY[l]).append(" = ").append(ALIAS[l - 1]).append(".pk");
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- predicates

    /**
     * Adds the SQL for one non-universal key, if it has one.
     *
     * @return true if the SQL decides the key exactly, false if Java must (also) match it
     */
    private boolean predicate(int tag, DataSet keys, MatchOptions options, boolean combinedStudy, Where where) {
        VR vr = KeyMatcher.matchingVR(keys, null, tag);
        if (vr == VR.SQ) {
            return false;
        }
        String[] values = keys.getStrings(tag);
        List<Object> p = new ArrayList<>();
        if (combinedStudy && (tag == Tag.StudyDate || tag == Tag.StudyTime)) {
            if (tag == Tag.StudyDate) {
                String sql = combinedStudyDateTime(values[0], keys.getString(Tag.StudyTime), p);
                where.add(new Predicate(sql, p, QueryLevel.STUDY, RANK_RANGE));
            }
            return true;
        }
        if (tag == Tag.PatientName || tag == Tag.ReferringPhysicianName) {
            return personName(tag == Tag.PatientName ? PersonNameRows.Attr.PATIENT_NAME
                    : PersonNameRows.Attr.REFERRING_PHYSICIAN_NAME, values, options, where);
        }
        if (tag == Tag.ModalitiesInStudy && vr == VR.CS) {
            String any = anyOf(values, v -> text("r2.modality", v, p));
            where.add(new Predicate("EXISTS (SELECT 1 FROM series r2 " + derbyHint("constraint=SERIES_STUDY_FK, joinStrategy=NESTEDLOOP")
                    + "WHERE r2.study_fk = s.pk AND " + any + ")", p,
                    QueryLevel.STUDY, RANK_NO_INDEX));
            return true;
        }
        if (tag == Tag.SOPClassesInStudy && vr == VR.UI) {
            where.add(new Predicate("EXISTS (SELECT 1 FROM series r2 " + derbyHint("constraint=SERIES_STUDY_FK")
                    + "JOIN instance i2 " + derbyHint("constraint=INSTANCE_SERIES_FK") + "ON i2.series_fk = r2.pk"
                    + " WHERE r2.study_fk = s.pk AND " + in("i2.sop_class_uid", values, p) + ")", p, QueryLevel.STUDY,
                    RANK_NO_INDEX));
            return true;
        }
        Column column = COLUMNS.get(tag);
        if (column == null || !fits(column.kind(), vr)) {
            return false;
        }
        String sql;
        int rank;
        switch (column.kind()) {
            case UID -> {
                sql = in(column.expr(), values, p);
                rank = RANK_UID;
            }
            case TEXT -> {
                sql = anyOf(values, v -> text(column.expr(), v, p));
                boolean equality = Arrays.stream(values).noneMatch(KeyMatcher::hasWildcard);
                boolean prefixed = Arrays.stream(values).allMatch(v -> !v.startsWith("*") && !v.startsWith("?"));
                rank = equality && (tag == Tag.PatientID || tag == Tag.AccessionNumber) ? RANK_IDENTIFIER
                        : prefixed ? RANK_RANGE : RANK_NO_INDEX;
            }
            case DATE -> {
                sql = anyOf(values, v -> range(column.expr(), KeyMatcher.dateRange(v), Columns::date, p));
                rank = Arrays.stream(values).allMatch(v -> spansAtMostAMonth(KeyMatcher.dateRange(v)))
                        ? RANK_SHORT_DATE_RANGE : RANK_RANGE;
            }
            case TIME -> {
                sql = anyOf(values, v -> range(column.expr(), KeyMatcher.timeRange(v), Columns::time, p));
                rank = RANK_NO_INDEX; // no index of its own
            }
            case INTEGER -> {
                for (String v : values) {
                    try {
                        p.add(Integer.valueOf(v.startsWith("+") ? v.substring(1) : v));
                    } catch (NumberFormatException e) {
                        return false; // "1.0" or "1e0": compared by value in Java
                    }
                }
                sql = column.expr() + inParameters(values.length);
                rank = RANK_NO_INDEX;
            }
            default -> throw new IllegalStateException(column.kind().toString());
        }
        where.add(new Predicate(sql, p, column.level(), rank));
        return true;
    }

    private static boolean spansAtMostAMonth(Range<LocalDate> range) {
        return range.start() != null && range.end() != null && !range.end().isAfter(range.start().plusDays(31));
    }

    /** True if the key's VR is the one the column's comparison is made for. */
    private static boolean fits(Kind kind, VR vr) {
        return switch (kind) {
            case UID -> vr == VR.UI;
            case DATE -> vr == VR.DA;
            case TIME -> vr == VR.TM;
            case INTEGER -> vr == VR.IS;
            case TEXT -> vr == VR.LO || vr == VR.SH || vr == VR.CS;
        };
    }

    private interface ValuePredicate {
        String sql(String value);
    }

    private static String anyOf(String[] values, ValuePredicate predicate) {
        if (values.length == 1) {
            return predicate.sql(values[0]);
        }
        List<String> parts = new ArrayList<>();
        for (String v : values) {
            parts.add("(" + predicate.sql(v) + ")");
        }
        return "(" + String.join(" OR ", parts) + ")";
    }

    private static String in(String expr, String[] values, List<Object> params) {
        for (String v : values) {
            params.add(v.strip());
        }
        return expr + inParameters(values.length);
    }

    private static String inParameters(int count) {
        return count == 1 ? " = ?" : " IN (?" + ", ?".repeat(count - 1) + ")";
    }

    /**
     * Single value or wild card matching of a text column: equality, or the literal prefix as a
     * range (index range scan) plus LIKE when the pattern has more than a trailing "*".
     */
    private static String text(String expr, String value, List<Object> params) {
        if (!KeyMatcher.hasWildcard(value)) {
            params.add(value);
            return expr + " = ?";
        }
        int wildcard = firstWildcard(value);
        String prefix = value.substring(0, wildcard);
        String upper = null;
        List<String> parts = new ArrayList<>();
        if (!prefix.isEmpty()) {
            parts.add(expr + " >= ?");
            params.add(prefix);
            upper = successor(prefix);
            if (upper != null) {
                parts.add(expr + " < ?");
                params.add(upper);
            }
        }
        if (!value.equals(prefix + "*") || upper == null) {
            parts.add(expr + " LIKE ? ESCAPE '!'");
            params.add(like(value));
        }
        return String.join(" AND ", parts);
    }

    private static int firstWildcard(String value) {
        int star = value.indexOf('*');
        int question = value.indexOf('?');
        return star < 0 ? question : question < 0 ? star : Math.min(star, question);
    }

    /** The least string greater than every string that starts with {@code prefix}, or null. */
    static String successor(String prefix) {
        int last = prefix.codePointBefore(prefix.length());
        int next = last + 1;
        if (next > Character.MAX_CODE_POINT || next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
            return null;
        }
        return prefix.substring(0, prefix.length() - Character.charCount(last)) + new String(Character.toChars(next));
    }

    /** A LIKE pattern for a C-FIND wild card pattern, "!" escaping LIKE's own wild cards. */
    static String like(String value) {
        StringBuilder b = new StringBuilder(value.length() + 4);
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '*' -> b.append('%');
                case '?' -> b.append('_');
                case '%', '_', '!' -> b.append('!').append(ch);
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private interface Format<T> {
        String format(T value);
    }

    private static <T extends Comparable<? super T>> String range(String expr, Range<T> range, Format<T> format,
                                                                 List<Object> params) {
        if (range.start() != null && range.end() != null) {
            params.add(format.format(range.start()));
            params.add(format.format(range.end()));
            return expr + " BETWEEN ? AND ?";
        }
        if (range.start() != null) {
            params.add(format.format(range.start()));
            return expr + " >= ?";
        }
        if (range.end() != null) {
            params.add(format.format(range.end()));
            return expr + " <= ?";
        }
        return expr + " IS NOT NULL";
    }

    /** Combined date-time matching of Study Date and Study Time (C.2.2.2.5); a study without time matches on its date. */
    private static String combinedStudyDateTime(String dateKey, String timeKey, List<Object> params) {
        Range<LocalDateTime> range = KeyMatcher.combinedRange(dateKey, timeKey);
        List<String> parts = new ArrayList<>();
        if (range.start() != null) {
            String d = Columns.date(range.start().toLocalDate());
            String t = Columns.time(range.start().toLocalTime());
            parts.add("s.study_date >= ?");
            parts.add("(s.study_date > ? OR s.study_time >= ? OR s.study_time IS NULL)");
            params.addAll(List.of(d, d, t));
        }
        if (range.end() != null) {
            String d = Columns.date(range.end().toLocalDate());
            String t = Columns.time(range.end().toLocalTime());
            parts.add("s.study_date <= ?");
            parts.add("(s.study_date < ? OR s.study_time <= ? OR s.study_time IS NULL)");
            params.addAll(List.of(d, d, t));
        }
        return parts.isEmpty() ? "s.study_date IS NOT NULL" : String.join(" AND ", parts);
    }

    // ---------------------------------------------------------------- person names

    /**
     * PN keys through {@code person_name}: per key value, each group it gives must have a
     * matching row (any group when the value has no "="). Exact when names match ignoring case
     * and the key has no "?" (one character in the database's sense); fuzzy matching adds the
     * candidates whose family name shares a phonetic code or starts like the key's.
     */
    private boolean personName(PersonNameRows.Attr attr, String[] values, MatchOptions options, Where where) {
        QueryLevel table = attr == PersonNameRows.Attr.PATIENT_NAME ? QueryLevel.PATIENT : QueryLevel.STUDY;
        String owner = ALIAS[table.ordinal()] + ".pk";
        boolean exact = options.caseInsensitivePersonNames() && !options.fuzzyPersonNames();
        List<Object> p = new ArrayList<>();
        List<String> alternatives = new ArrayList<>();
        List<String> rows = null;
        for (String value : values) {
            exact &= value.indexOf('?') < 0;
            List<Object> valueParams = new ArrayList<>();
            rows = literalRows(value, valueParams);
            if (rows.isEmpty()) {
                return false; // this value matches every name: no narrowing possible
            }
            String literal = String.join(" AND ", rows.stream().map(r -> exists(attr, owner, r)).toList());
            p.addAll(valueParams);
            if (options.fuzzyPersonNames()) {
                String fuzzy = fuzzyRows(value, p);
                if (fuzzy == null) {
                    return false;
                }
                literal = "(" + literal + " OR " + exists(attr, owner, fuzzy) + ")";
            }
            alternatives.add(literal);
        }
        String sql = alternatives.size() == 1 ? alternatives.get(0) : "(" + String.join(" OR ", alternatives) + ")";
        if (values.length == 1 && rows.size() == 1 && !options.fuzzyPersonNames()
                && (rows.get(0).contains("norm >= ?") || rows.get(0).contains("norm = ?"))) {
            // one indexed name condition can start the join, as the owners it finds
            String driver = "SELECT DISTINCT owner_fk FROM person_name " + derbyHint("index=PERSON_NAME_NORM_IX")
                    + "WHERE attr = " + attr.code + " AND " + rows.get(0);
            int prefix = firstWildcard(PersonNames.groups(values[0])[0] + "*");
            where.add(new Predicate(sql, p, table, prefix >= 2 ? RANK_NAME_PREFIX : RANK_SHORT_NAME_PREFIX, driver));
        } else {
            where.add(new Predicate(sql, p, table, RANK_NO_INDEX));
        }
        return exact;
    }

    /** A condition on an owner's person_name rows, probing them by owner (index person_name_owner_ix). */
    private String exists(PersonNameRows.Attr attr, String owner, String rowCondition) {
        return "EXISTS (SELECT 1 FROM person_name " + derbyHint("index=PERSON_NAME_OWNER_IX, joinStrategy=NESTEDLOOP")
                + "WHERE owner_fk = " + owner + " AND attr = " + attr.code + " AND " + rowCondition + ")";
    }

    /**
     * An optimizer override for Derby (ignored as a comment elsewhere): without statistics that
     * fit, Derby may hash a whole table where a few index probes do.
     */
    private String derbyHint(String properties) {
        return dialect == Dialect.DERBY ? "--DERBY-PROPERTIES " + properties + "\n" : "";
    }

    /**
     * The row conditions of the normal match of one PN key value, all of which must hold (one
     * per group the key gives; one for any group when it gives none); empty if the value matches
     * every name.
     */
    private static List<String> literalRows(String value, List<Object> params) {
        String[] groups = PersonNames.groups(value);
        List<String> rows = new ArrayList<>();
        if (value.indexOf('=') < 0) {
            if (!groups[0].isEmpty() && !groups[0].equals("*")) {
                rows.add("grp < " + PersonNameRows.PHONETIC_CODE + " AND " + text("norm", PersonNames.normalize(groups[0]), params));
            }
        } else {
            for (int g = 0; g < groups.length; g++) {
                if (!groups[g].isEmpty() && !groups[g].equals("*")) {
                    rows.add("grp = " + g + " AND " + text("norm", PersonNames.normalize(groups[g]), params));
                }
            }
        }
        return rows;
    }

    /**
     * The row condition of the candidates of a fuzzy match: a phonetic code of the family name,
     * or an alphabetic group starting with it; null if the family name has wild cards inside or
     * no letters (then every name is a candidate).
     */
    private static String fuzzyRows(String value, List<Object> params) {
        String family = PersonName.parse(value).familyName();
        boolean prefix = family.endsWith("*");
        String literal = prefix ? family.substring(0, family.length() - 1) : family;
        Set<String> codes = PersonNames.phoneticCodes(literal);
        if (literal.isEmpty() || KeyMatcher.hasWildcard(literal) || codes.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String code : codes) {
            parts.add("(grp = " + PersonNameRows.PHONETIC_CODE + " AND " + text("norm", prefix ? code + "*" : code, params) + ")");
        }
        parts.add("(grp = 0 AND " + text("norm", PersonNames.normalize(literal) + "*", params) + ")");
        return "(" + String.join(" OR ", parts) + ")";
    }
}
