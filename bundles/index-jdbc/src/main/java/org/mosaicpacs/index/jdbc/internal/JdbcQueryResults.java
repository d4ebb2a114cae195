package org.mosaicpacs.index.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.NoSuchElementException;

import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.SpecificCharacterSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matches of a query, read from an open cursor one row at a time: each row's stored
 * attributes are decoded only as far as the plan needs them, matched in Java where the plan says
 * so, and turned into a response identifier. Holds its connection until closed or exhausted.
 *
 * <p>A database failure while iterating surfaces as {@link IllegalStateException}.
 */
final class JdbcQueryResults implements QueryResults {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcQueryResults.class);

    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final QueryPlanner.Plan plan;
    private final IndexQuery query;
    private final KeyMatcher matcher;
    private final int limit;
    private int toSkip;
    private int returned;
    private DataSet next;
    private boolean done;
    private boolean limitReached;

    JdbcQueryResults(Connection connection, PreparedStatement statement, ResultSet rows, QueryPlanner.Plan plan,
                     IndexQuery query, KeyMatcher matcher, int limit) {
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.plan = plan;
        this.query = query;
        this.matcher = matcher;
        this.limit = limit;
        this.toSkip = plan.pagedInSql() ? 0 : query.offset();
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (done) {
            return false;
        }
        try {
            while (rows.next()) {
                DataSet attrs = attributes();
                if (plan.javaTags().length > 0 && !matcher.matches(attrs, query.keys(), plan.javaTags())) {
                    continue;
                }
                if (toSkip > 0) {
                    toSkip--;
                    continue;
                }
                if (limit > 0 && returned == limit) {
                    limitReached = true;
                    break;
                }
                next = response(attrs);
                returned++;
                return true;
            }
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("index query failed: " + e.getMessage(), e);
        }
        close();
        return false;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        DataSet result = next;
        next = null;
        return result;
    }

    @Override
    public boolean limitReached() {
        return limitReached;
    }

    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try (connection; statement; rows) {
            connection.rollback(); // read only: ends the transaction that kept the cursor open
        } catch (SQLException e) {
            LOG.warn("Closing an index query cursor failed: {}", e.toString());
        }
    }

    /**
     * The row's entity with its ancestors: stored attributes of the planned levels, the derived
     * attributes and the unique keys, text in UTF-8.
     */
    private DataSet attributes() throws SQLException {
        DataSet attrs = new DataSet();
        attrs.setEncodedCharacterSet(SpecificCharacterSet.UTF_8);
        QueryLevel level = plan.level();
        int col = 1;
        col++; // p.pk
        String patientId = rows.getString(col++);
        int patientStudies = rows.getInt(col++);
        int patientSeries = rows.getInt(col++);
        int patientInstances = rows.getInt(col++);
        if (plan.attrLevels().contains(QueryLevel.PATIENT)) {
            attrs.addAll(EntityAttributes.decode(rows.getBytes(col++)));
        }
        setCount(attrs, Tag.NumberOfPatientRelatedStudies, patientStudies);
        setCount(attrs, Tag.NumberOfPatientRelatedSeries, patientSeries);
        setCount(attrs, Tag.NumberOfPatientRelatedInstances, patientInstances);
        if (patientId != null && !attrs.containsValue(Tag.PatientID)) {
            attrs.setString(Tag.PatientID, VR.LO, patientId);
        }
        if (level.compareTo(QueryLevel.STUDY) >= 0) {
            col++; // s.pk
            String studyUid = rows.getString(col++);
            String modalities = rows.getString(col++);
            String sopClasses = rows.getString(col++);
            int studySeries = rows.getInt(col++);
            int studyInstances = rows.getInt(col++);
            if (plan.attrLevels().contains(QueryLevel.STUDY)) {
                attrs.addAll(EntityAttributes.decode(rows.getBytes(col++)));
            }
            attrs.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
            attrs.setString(Tag.ModalitiesInStudy, VR.CS, split(modalities));
            attrs.setString(Tag.SOPClassesInStudy, VR.UI, split(sopClasses));
            setCount(attrs, Tag.NumberOfStudyRelatedSeries, studySeries);
            setCount(attrs, Tag.NumberOfStudyRelatedInstances, studyInstances);
        }
        if (level.compareTo(QueryLevel.SERIES) >= 0) {
            col++; // r.pk
            String seriesUid = rows.getString(col++);
            int seriesInstances = rows.getInt(col++);
            if (plan.attrLevels().contains(QueryLevel.SERIES)) {
                attrs.addAll(EntityAttributes.decode(rows.getBytes(col++)));
            }
            attrs.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
            setCount(attrs, Tag.NumberOfSeriesRelatedInstances, seriesInstances);
        }
        if (level == QueryLevel.IMAGE) {
            col++; // i.pk
            String sopUid = rows.getString(col++);
            if (plan.attrLevels().contains(QueryLevel.IMAGE)) {
                attrs.addAll(EntityAttributes.decode(rows.getBytes(col)));
            }
            attrs.setString(Tag.SOPInstanceUID, VR.UI, sopUid);
        }
        return attrs;
    }

    private static void setCount(DataSet attrs, int tag, int count) {
        attrs.setString(tag, VR.IS, Integer.toString(count));
    }

    private static String[] split(String values) {
        return values == null || values.isEmpty() ? new String[0] : values.split("\\\\");
    }

    /**
     * The response identifier (PS3.4 C.4.1.1.3.2): every return key with the entity's value, or
     * empty if it has none; sequence keys with the items that match their item's keys, reduced
     * to those keys; the unique keys of the level and the levels above. With
     * {@link IndexQuery#allAttributes()} every attribute of the entity and its ancestors.
     */
    private DataSet response(DataSet attrs) {
        DataSet out = new DataSet();
        out.setEncodedCharacterSet(SpecificCharacterSet.UTF_8);
        DataSet keys = query.keys();
        if (query.allAttributes()) {
            out.addAll(attrs);
        }
        for (int tag : plan.returnTags()) {
            if (!query.allAttributes() || !out.contains(tag)) {
                copyReturnKey(attrs, keys, tag, out);
            }
        }
        if (query.model() == InformationModel.PATIENT_ROOT || plan.level() == QueryLevel.PATIENT) {
            copyIfAbsent(attrs, Tag.PatientID, VR.LO, out);
        }
        if (plan.level().compareTo(QueryLevel.STUDY) >= 0) {
            copyIfAbsent(attrs, Tag.StudyInstanceUID, VR.UI, out);
        }
        if (plan.level().compareTo(QueryLevel.SERIES) >= 0) {
            copyIfAbsent(attrs, Tag.SeriesInstanceUID, VR.UI, out);
        }
        if (plan.level() == QueryLevel.IMAGE) {
            copyIfAbsent(attrs, Tag.SOPInstanceUID, VR.UI, out);
        }
        return out;
    }

    private static void copyIfAbsent(DataSet attrs, int tag, VR vr, DataSet out) {
        if (!out.containsValue(tag)) {
            if (attrs.containsValue(tag)) {
                out.setString(tag, vr, attrs.getStrings(tag));
            } else {
                out.setNull(tag, vr);
            }
        }
    }

    private void copyReturnKey(DataSet attrs, DataSet keys, int tag, DataSet out) {
        VR keyVr = KeyMatcher.matchingVR(keys, attrs, tag);
        if (!attrs.contains(tag)) {
            out.setNull(tag, keyVr);
            return;
        }
        Sequence stored = attrs.getSequence(tag);
        Sequence wanted = keys.getSequence(tag);
        if (stored != null && wanted != null && !wanted.isEmpty() && !wanted.get(0).isEmpty()) {
            DataSet keyItem = wanted.get(0);
            boolean filter = KeyMatcher.hasMatchingKeys(keyItem);
            Sequence copy = out.newSequence(tag, stored.size());
            for (DataSet item : stored) {
                if (!filter || matcher.matchesAll(item, keyItem)) {
                    DataSet reduced = copy.addNewItem();
                    reduced.setEncodedCharacterSet(item.encodedCharacterSet());
                    for (int itemTag : keyItem.tags()) {
                        copyReturnKey(item, keyItem, itemTag, reduced);
                    }
                }
            }
            return;
        }
        copyElement(attrs, tag, out);
    }

    /** Copies one element as held (both data sets hold UTF-8 text). */
    private static void copyElement(DataSet from, int tag, DataSet to) {
        DataSet single = new DataSet(1);
        single.setEncodedCharacterSet(from.encodedCharacterSet());
        Object value = from.getValue(tag);
        VR vr = from.vr(tag);
        if (value instanceof Sequence seq) {
            Sequence copy = single.newSequence(tag, seq.size());
            for (DataSet item : seq) {
                copy.add(item.deepCopy());
            }
        } else if (value instanceof byte[] bytes) {
            single.setBytes(tag, vr, bytes);
        } else {
            single.setString(tag, vr, from.getStrings(tag));
        }
        to.addAll(single);
    }
}
