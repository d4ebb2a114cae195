package org.mosaicpacs.index.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.TreeSet;

import org.mosaicpacs.api.index.DuplicateInstanceException;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing transactions: record and remove an instance with its patient, study and series.
 *
 * <p>Locking: every transaction that changes a study first updates the row of the study's
 * patient, and only then touches study, series and instance rows, always in that order. Writers
 * of one patient thus queue on one row lock and no two of them can wait for each other (Derby
 * would only detect such a deadlock after its 20 s deadlock timeout). A transaction that loses a
 * race to create a row (unique constraint) is rolled back and run again by the caller
 * ({@link Retry}); it then finds the row the winner committed. A new instance is inserted without
 * looking it up first (the archive has just done so): if it is recorded already, the unique SOP
 * Instance UID refuses it and the run after that looks it up.
 *
 * <p>Entity attributes policy: an entity's stored attributes are those of the first instance
 * recorded in it; later instances fill attributes it lacks. A new study refreshes its patient's
 * attributes from its first instance (so a changed name or birth date takes effect with the next
 * study), keeping those the new instance lacks. A study keeps the patient it was created under,
 * and a series the study it was created in: an instance that names a known series with another
 * Study Instance UID is refused.
 */
final class IndexWriter {

    /** Thrown inside a transaction to have it rolled back and run again. */
    static final class Retry extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final boolean pause;

        /** A lost race: run again after a short pause. */
        Retry(String reason) {
            this(reason, true);
        }

        /** @param pause false when the winner has committed already, so running again at once finds its rows */
        Retry(String reason, boolean pause) {
            super(reason, null, false, false);
            this.pause = pause;
        }

        boolean pause() {
            return pause;
        }
    }

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private static final Logger LOG = LoggerFactory.getLogger(IndexWriter.class);

    static final String INSTANCE_SELECT = "SELECT i.pk, i.series_fk, r.study_fk, s.patient_fk, s.study_uid, r.series_uid,"
            + " i.sop_uid, i.sop_class_uid, i.transfer_syntax_uid, i.storage_id, i.storage_key, i.object_size,"
            + " i.checksum_algorithm, i.checksum, i.received"
            + " FROM instance i JOIN series r ON r.pk = i.series_fk JOIN study s ON s.pk = r.study_fk";

    /** Studies remembered at most with their patient's key. */
    private static final int REMEMBERED_STUDIES = 4096;

    private final Dialect dialect;
    /**
     * The patient key of recently recorded studies, which saves reading it before the patient lock
     * (a study keeps its patient). Only a hint: the study row read under the lock confirms it, and a
     * wrong hint (study removed, or removed and created again under another patient, also by another
     * node) ends in a {@link Retry}, which forgets it.
     */
    private final Map<String, Long> studyPatients = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > REMEMBERED_STUDIES;
                }
            });

    IndexWriter(Dialect dialect) {
        this.dialect = dialect;
    }

    /** An instance row and where it hangs. */
    record InstanceRow(long pk, long seriesPk, long studyPk, long patientPk, InstanceRecord record) {
    }

    private record PatientRow(long pk, DataSet attrs) {
    }

    private record StudyRow(long pk, long patientPk, DataSet attrs, String modalities, String sopClasses,
                            int numInstances) {
    }

    private record SeriesRow(long pk, long studyPk, DataSet attrs, int numInstances) {
    }

    /** An existing study with its patient, and the series (of whichever study) with a Series Instance UID. */
    private record StudyAndSeries(StudyRow study, PatientRow patient, SeriesRow series) {
    }

    // ---------------------------------------------------------------- record

    /**
     * Records an instance.
     *
     * @param mayExist false to skip looking the instance up first when not replacing: the archive has just
     *                 looked, so it is almost always new, and if it is not its insert violates the unique SOP
     *                 Instance UID and the transaction is run again with {@code mayExist} (no pause: the
     *                 conflicting row is committed by then)
     */
    RecordOutcome record(Connection c, NewInstance n, boolean replace, boolean mayExist) throws SQLException, IndexException {
        String studyUid = n.record.studyInstanceUid();
        try {
            return record(c, n, replace, mayExist, studyPatients.get(studyUid));
        } catch (Retry e) {
            studyPatients.remove(studyUid); // perhaps the wrong hint: read the study's patient next time
            throw e;
        }
    }

    /** @param knownPatient the patient key remembered for the study, or null */
    private RecordOutcome record(Connection c, NewInstance n, boolean replace, boolean mayExist, Long knownPatient)
            throws SQLException, IndexException {
        InstanceRecord rec = n.record;
        Instant now = Instant.now();
        boolean probed = replace || mayExist;
        Optional<InstanceRow> existing = probed ? findInstance(c, rec.sopInstanceUid()) : Optional.empty();
        if (existing.isPresent() && !replace) {
            throw new DuplicateInstanceException(existing.get().record());
        }
        // lock the patients involved, in key order: the study's (or the one the new study will have) and the replaced instance's
        Long studyPatient = knownPatient != null ? knownPatient : findStudyPatient(c, rec.studyInstanceUid());
        Long targetPatient = studyPatient != null ? studyPatient : findPatientPk(c, n.patientIdentity);
        TreeSet<Long> locked = new TreeSet<>();
        if (targetPatient != null) {
            locked.add(targetPatient);
        }
        existing.ifPresent(e -> locked.add(e.patientPk()));
        // without a replaced instance the locked patient is the one the instance is added to: its lock counts it too
        Long counted = existing.isEmpty() ? targetPatient : null;
        for (long pk : locked) {
            lockPatient(c, pk, counted != null && pk == counted ? 1 : 0, now);
        }
        InstanceRecord replaced = null;
        if (existing.isPresent()) {
            InstanceRow old = findInstance(c, rec.sopInstanceUid()).orElseThrow(() -> new Retry("replaced instance vanished"));
            if (old.patientPk() != existing.get().patientPk()) {
                throw new Retry("replaced instance moved");
            }
            replaced = old.record();
            if (old.record().seriesInstanceUid().equals(rec.seriesInstanceUid())
                    && old.record().studyInstanceUid().equals(rec.studyInstanceUid())) {
                return replaceInPlace(c, n, old, now);
            }
            remove(c, old);
        }

        StudyAndSeries found = findStudyAndSeries(c, rec.studyInstanceUid(), rec.seriesInstanceUid());
        StudyRow study = found != null ? found.study() : null;
        boolean newStudy = study == null;
        PatientRow patient;
        if (newStudy) {
            patient = findPatient(c, n.patientIdentity);
            if (patient == null) {
                if (counted != null) {
                    throw new Retry("study removed meanwhile");
                }
                patient = insertPatient(c, n.patient, n.patientIdentity, now);
            } else if (!locked.contains(patient.pk())) {
                throw new Retry("patient appeared");
            } else {
                updatePatientAttrs(c, patient, EntityAttributes.overlay(n.patient, patient.attrs()), now);
            }
            study = insertStudy(c, patient.pk(), n.study, now);
        } else {
            if (!locked.contains(study.patientPk())) {
                throw new Retry("study appeared or moved");
            }
            patient = found.patient();
            if (!n.patientIdentity.equals(Columns.patientIdentity(patient.attrs()))) {
                LOG.warn("Study {} is recorded under another patient identity than instance {} names; kept under the study's patient",
                        rec.studyInstanceUid(), rec.sopInstanceUid());
            }
            DataSet filled = EntityAttributes.fillGaps(patient.attrs(), n.patient);
            if (filled != null) {
                updatePatientAttrs(c, patient, filled, now);
            }
        }

        SeriesRow series = newStudy ? findSeries(c, rec.seriesInstanceUid()) : found.series();
        boolean newSeries = series == null;
        if (newSeries) {
            series = insertSeries(c, study.pk(), n.series, now);
        } else if (series.studyPk() != study.pk()) {
            if (!probed) {
                // if the instance is recorded already, the caller hears that instead
                throw new Retry("series of another study", false);
            }
            throw new IndexException("Series " + rec.seriesInstanceUid() + " belongs to another study than "
                    + rec.studyInstanceUid() + "; instance " + rec.sopInstanceUid() + " refused");
        }

        insertInstance(c, series.pk(), n);

        // counters and derived attributes, top down; the patient's instance counter unless its lock counted it
        int addInstances = counted != null ? 0 : 1;
        if (newStudy || newSeries || addInstances != 0) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE patient SET num_studies = num_studies + ?,"
                    + " num_series = num_series + ?, num_instances = num_instances + ? WHERE pk = ?")) {
                ps.setInt(1, newStudy ? 1 : 0);
                ps.setInt(2, newSeries ? 1 : 0);
                ps.setInt(3, addInstances);
                ps.setLong(4, patient.pk());
                ps.executeUpdate();
            }
        }
        DataSet seriesAttrs = newSeries ? null : EntityAttributes.fillGaps(series.attrs(), n.series);
        DataSet seriesNow = seriesAttrs != null ? seriesAttrs : series.attrs();
        String modalities = addTo(study.modalities(), Columns.text(seriesNow, Tag.Modality, Columns.TEXT));
        String sopClasses = addTo(study.sopClasses(), n.record.sopClassUid());
        DataSet studyAttrs = newStudy ? null : EntityAttributes.fillGaps(study.attrs(), n.study);
        updateStudy(c, study.pk(), newSeries ? 1 : 0, 1, modalities, sopClasses, studyAttrs, now);
        updateSeries(c, series.pk(), 1, seriesAttrs, now);
        studyPatients.put(rec.studyInstanceUid(), patient.pk());
        return new RecordOutcome(rec, replaced, series.numInstances() + 1, study.numInstances() + 1);
    }

    private RecordOutcome replaceInPlace(Connection c, NewInstance n, InstanceRow old, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE instance SET sop_class_uid = ?, instance_number = ?,"
                + " transfer_syntax_uid = ?, storage_id = ?, storage_key = ?, object_size = ?, checksum_algorithm = ?,"
                + " checksum = ?, received = ?, attrs = ? WHERE pk = ?")) {
            InstanceRecord r = n.record;
            ps.setString(1, r.sopClassUid());
            setInteger(ps, 2, n.instanceNumber);
            ps.setString(3, r.transferSyntaxUid());
            ps.setString(4, r.storageId());
            ps.setString(5, r.storageKey());
            ps.setLong(6, r.size());
            ps.setString(7, r.checksumAlgorithm());
            ps.setString(8, r.checksum());
            ps.setTimestamp(9, Timestamp.from(r.received()), utc());
            ps.setBytes(10, n.instanceAttrs);
            ps.setLong(11, old.pk());
            ps.executeUpdate();
        }
        PatientRow patient = readPatient(c, old.patientPk());
        DataSet filled = EntityAttributes.fillGaps(patient.attrs(), n.patient);
        if (filled != null) {
            updatePatientAttrs(c, patient, filled, now);
        }
        StudyRow study = findStudy(c, n.record.studyInstanceUid());
        String sopClasses = old.record().sopClassUid().equals(n.record.sopClassUid()) ? study.sopClasses()
                : studySopClasses(c, study.pk());
        updateStudy(c, study.pk(), 0, 0, study.modalities(), sopClasses, EntityAttributes.fillGaps(study.attrs(), n.study), now);
        SeriesRow series = findSeries(c, n.record.seriesInstanceUid());
        updateSeries(c, series.pk(), 0, EntityAttributes.fillGaps(series.attrs(), n.series), now);
        return new RecordOutcome(n.record, old.record(), series.numInstances(), study.numInstances());
    }

    // ---------------------------------------------------------------- remove

    /** Removes an instance, and its series, study and patient when they become empty. */
    Optional<InstanceRecord> remove(Connection c, String sopInstanceUid) throws SQLException {
        Optional<InstanceRow> found = findInstance(c, sopInstanceUid);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        lockPatient(c, found.get().patientPk(), 0, Instant.now());
        InstanceRow row = findInstance(c, sopInstanceUid).orElseThrow(() -> new Retry("instance vanished"));
        if (row.patientPk() != found.get().patientPk()) {
            throw new Retry("instance moved");
        }
        remove(c, row);
        return Optional.of(row.record());
    }

    /** Removes an instance whose patient row this transaction has locked. */
    private void remove(Connection c, InstanceRow row) throws SQLException {
        Instant now = Instant.now();
        execute(c, "DELETE FROM instance WHERE pk = ?", row.pk());
        int seriesLeft = decrement(c, "series", row.seriesPk(), 0);
        boolean seriesGone = seriesLeft == 0;
        if (seriesGone) {
            execute(c, "DELETE FROM series WHERE pk = ?", row.seriesPk());
        }
        int studyLeft = decrement(c, "study", row.studyPk(), seriesGone ? 1 : 0);
        boolean studyGone = studyLeft == 0;
        if (studyGone) {
            studyPatients.remove(row.record().studyInstanceUid());
            PersonNameRows.delete(c, row.studyPk(), PersonNameRows.Attr.REFERRING_PHYSICIAN_NAME);
            execute(c, "DELETE FROM study WHERE pk = ?", row.studyPk());
        } else {
            try (PreparedStatement ps = c.prepareStatement("UPDATE study SET sop_classes = ?, updated = ?"
                    + (seriesGone ? ", modalities = ?" : "") + " WHERE pk = ?")) {
                ps.setString(1, studySopClasses(c, row.studyPk()));
                ps.setTimestamp(2, Timestamp.from(now), utc());
                if (seriesGone) {
                    ps.setString(3, studyModalities(c, row.studyPk()));
                }
                ps.setLong(seriesGone ? 4 : 3, row.studyPk());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE patient SET num_studies = num_studies - ?,"
                + " num_series = num_series - ?, num_instances = num_instances - 1 WHERE pk = ?")) {
            ps.setInt(1, studyGone ? 1 : 0);
            ps.setInt(2, seriesGone ? 1 : 0);
            ps.setLong(3, row.patientPk());
            ps.executeUpdate();
        }
        if (studyGone && countLong(c, "SELECT num_instances FROM patient WHERE pk = ?", row.patientPk()) == 0) {
            PersonNameRows.delete(c, row.patientPk(), PersonNameRows.Attr.PATIENT_NAME);
            execute(c, "DELETE FROM patient WHERE pk = ?", row.patientPk());
        }
    }

    private static int decrement(Connection c, String table, long pk, int seriesRemoved) throws SQLException {
        String sql = table.equals("series") ? "UPDATE series SET num_instances = num_instances - 1 WHERE pk = ?"
                : "UPDATE study SET num_instances = num_instances - 1, num_series = num_series - " + seriesRemoved + " WHERE pk = ?";
        execute(c, sql, pk);
        return (int) countLong(c, "SELECT num_instances FROM " + table + " WHERE pk = ?", pk);
    }

    // ---------------------------------------------------------------- rows

    /** The instance row's own columns, read before its series and study. */
    private record InstanceColumns(long pk, long seriesPk, String sopClassUid, String transferSyntaxUid, String storageId,
                                   String storageKey, long size, String checksumAlgorithm, String checksum,
                                   Instant received) {
    }

    /**
     * The instance with this SOP Instance UID. Almost every instance asked about on ingest is new:
     * then the unique index alone is probed.
     *
     * <p>Three lookups of one row each, not one join: a statement keeps the lock of the row it is
     * on, so a join that reached the series row would keep it while it waits for the study row,
     * which a writer of that study locks first before it wants the series row. That deadlock
     * (Derby finds it only after its 20 s deadlock timeout, then fails this read) was seen when
     * instances were sent again while their study was being written. One row at a time, the
     * lookup waits holding nothing.
     */
    static Optional<InstanceRow> findInstance(Connection c, String sopUid) throws SQLException {
        InstanceColumns instance;
        try (PreparedStatement ps = c.prepareStatement("SELECT pk, series_fk, sop_class_uid, transfer_syntax_uid,"
                + " storage_id, storage_key, object_size, checksum_algorithm, checksum, received FROM instance WHERE sop_uid = ?")) {
            ps.setString(1, sopUid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                instance = new InstanceColumns(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9),
                        rs.getTimestamp(10, utc()).toInstant());
            }
        }
        long studyPk;
        String seriesUid;
        try (PreparedStatement ps = c.prepareStatement("SELECT study_fk, series_uid FROM series WHERE pk = ?")) {
            ps.setLong(1, instance.seriesPk());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty(); // removed meanwhile
                }
                studyPk = rs.getLong(1);
                seriesUid = rs.getString(2);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT patient_fk, study_uid FROM study WHERE pk = ?")) {
            ps.setLong(1, studyPk);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty(); // removed meanwhile
                }
                InstanceColumns i = instance;
                return Optional.of(new InstanceRow(i.pk(), i.seriesPk(), studyPk, rs.getLong(1), new InstanceRecord(
                        rs.getString(2), seriesUid, sopUid, i.sopClassUid(), i.transferSyntaxUid(), i.storageId(),
                        i.storageKey(), i.size(), i.checksumAlgorithm(), i.checksum(), i.received())));
            }
        }
    }

    /** The record of the columns {@code study_uid ... received} starting at {@code first}. */
    static InstanceRecord instanceRecord(ResultSet rs, int first) throws SQLException {
        int i = first;
        return new InstanceRecord(rs.getString(i), rs.getString(i + 1), rs.getString(i + 2), rs.getString(i + 3),
                rs.getString(i + 4), rs.getString(i + 5), rs.getString(i + 6), rs.getLong(i + 7), rs.getString(i + 8),
                rs.getString(i + 9), rs.getTimestamp(i + 10, utc()).toInstant());
    }

    private static Long findStudyPatient(Connection c, String studyUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT patient_fk FROM study WHERE study_uid = ?")) {
            ps.setString(1, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static Long findPatientPk(Connection c, String identity) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pk FROM patient WHERE pat_identity = ?")) {
            ps.setString(1, identity);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Locks a patient's row (the first write of the transaction, see the class comment), adding instances to its counter. */
    private static void lockPatient(Connection c, long pk, int addInstances, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE patient SET updated = ?, num_instances = num_instances + ?"
                + " WHERE pk = ?")) {
            ps.setTimestamp(1, Timestamp.from(now), utc());
            ps.setInt(2, addInstances);
            ps.setLong(3, pk);
            if (ps.executeUpdate() == 0) {
                throw new Retry("patient removed meanwhile");
            }
        }
    }

    private static PatientRow findPatient(Connection c, String identity) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pk, attrs FROM patient WHERE pat_identity = ?")) {
            ps.setString(1, identity);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new PatientRow(rs.getLong(1), EntityAttributes.decode(rs.getBytes(2))) : null;
            }
        }
    }

    private static PatientRow readPatient(Connection c, long pk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pk, attrs FROM patient WHERE pk = ?")) {
            ps.setLong(1, pk);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new Retry("patient removed meanwhile");
                }
                return new PatientRow(rs.getLong(1), EntityAttributes.decode(rs.getBytes(2)));
            }
        }
    }

    /**
     * The study with this Study Instance UID and its patient, with the series with this Series Instance UID
     * (null if there is none, whatever study it belongs to); null if there is no such study. One statement for
     * the three rows an instance of a known study needs (the usual case); Derby is told to probe the unique
     * indexes (it would otherwise cost the plan by table sizes, which start at zero).
     */
    private static StudyAndSeries findStudyAndSeries(Connection c, String studyUid, String seriesUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT s.pk, s.patient_fk, s.attrs, s.modalities, s.sop_classes,"
                + " s.num_instances, p.attrs, r.pk, r.study_fk, r.attrs, r.num_instances"
                + " FROM --DERBY-PROPERTIES joinOrder=FIXED\n"
                + " study s --DERBY-PROPERTIES constraint=STUDY_UID_UK\n"
                + " JOIN patient p ON p.pk = s.patient_fk"
                + " LEFT JOIN series r --DERBY-PROPERTIES constraint=SERIES_UID_UK\n"
                + " ON r.series_uid = ? WHERE s.study_uid = ?")) {
            ps.setString(1, seriesUid);
            ps.setString(2, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                StudyRow study = new StudyRow(rs.getLong(1), rs.getLong(2), EntityAttributes.decode(rs.getBytes(3)),
                        rs.getString(4), rs.getString(5), rs.getInt(6));
                PatientRow patient = new PatientRow(study.patientPk(), EntityAttributes.decode(rs.getBytes(7)));
                long seriesPk = rs.getLong(8);
                SeriesRow series = rs.wasNull() ? null
                        : new SeriesRow(seriesPk, rs.getLong(9), EntityAttributes.decode(rs.getBytes(10)), rs.getInt(11));
                return new StudyAndSeries(study, patient, series);
            }
        }
    }

    private PatientRow insertPatient(Connection c, DataSet attrs, String identity, Instant now) throws SQLException {
        long pk;
        try (PreparedStatement ps = dialect.prepareInsert(c, "INSERT INTO patient (pat_identity, pat_id, pat_issuer,"
                + " pat_birthdate, pat_sex, attrs, updated) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, identity);
            setPatientColumns(ps, 2, attrs);
            ps.setTimestamp(7, Timestamp.from(now), utc());
            pk = insert(ps, "patient");
        }
        PersonNameRows.write(c, pk, PersonNameRows.Attr.PATIENT_NAME, attrs, false);
        return new PatientRow(pk, attrs);
    }

    private static void setPatientColumns(PreparedStatement ps, int first, DataSet attrs) throws SQLException {
        ps.setString(first, Columns.text(attrs, Tag.PatientID, Columns.TEXT));
        ps.setString(first + 1, Columns.text(attrs, Tag.IssuerOfPatientID, Columns.TEXT));
        ps.setString(first + 2, Columns.date(attrs, Tag.PatientBirthDate));
        ps.setString(first + 3, Columns.text(attrs, Tag.PatientSex, 16));
        ps.setBytes(first + 4, EntityAttributes.encode(attrs));
    }

    private static void updatePatientAttrs(Connection c, PatientRow patient, DataSet attrs, Instant now) throws SQLException {
        if (attrs.equals(patient.attrs())) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE patient SET pat_id = ?, pat_issuer = ?, pat_birthdate = ?,"
                + " pat_sex = ?, attrs = ?, updated = ? WHERE pk = ?")) {
            setPatientColumns(ps, 1, attrs);
            ps.setTimestamp(6, Timestamp.from(now), utc());
            ps.setLong(7, patient.pk());
            ps.executeUpdate();
        }
        if (!Arrays.equals(attrs.getStrings(Tag.PatientName), patient.attrs().getStrings(Tag.PatientName))) {
            PersonNameRows.write(c, patient.pk(), PersonNameRows.Attr.PATIENT_NAME, attrs, true);
        }
    }

    private static StudyRow findStudy(Connection c, String studyUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pk, patient_fk, attrs, modalities, sop_classes, num_instances"
                + " FROM study WHERE study_uid = ?")) {
            ps.setString(1, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new StudyRow(rs.getLong(1), rs.getLong(2), EntityAttributes.decode(rs.getBytes(3)),
                        rs.getString(4), rs.getString(5), rs.getInt(6)) : null;
            }
        }
    }

    private StudyRow insertStudy(Connection c, long patientPk, DataSet attrs, Instant now) throws SQLException {
        long pk;
        try (PreparedStatement ps = dialect.prepareInsert(c, "INSERT INTO study (patient_fk, study_uid, study_date,"
                + " study_time, accession_no, study_id, study_desc, attrs, created, updated)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, patientPk);
            ps.setString(2, attrs.getString(Tag.StudyInstanceUID));
            setStudyColumns(ps, 3, attrs);
            ps.setTimestamp(9, Timestamp.from(now), utc());
            ps.setTimestamp(10, Timestamp.from(now), utc());
            pk = insert(ps, "study");
        }
        PersonNameRows.write(c, pk, PersonNameRows.Attr.REFERRING_PHYSICIAN_NAME, attrs, false);
        return new StudyRow(pk, patientPk, attrs, "", "", 0);
    }

    private static void setStudyColumns(PreparedStatement ps, int first, DataSet attrs) throws SQLException {
        ps.setString(first, Columns.date(attrs, Tag.StudyDate));
        ps.setString(first + 1, Columns.time(attrs, Tag.StudyTime));
        ps.setString(first + 2, Columns.text(attrs, Tag.AccessionNumber, Columns.TEXT));
        ps.setString(first + 3, Columns.text(attrs, Tag.StudyID, Columns.TEXT));
        ps.setString(first + 4, Columns.text(attrs, Tag.StudyDescription, Columns.DESCRIPTION));
        ps.setBytes(first + 5, EntityAttributes.encode(attrs));
    }

    private static void updateStudy(Connection c, long pk, int addSeries, int addInstances, String modalities,
                                    String sopClasses, DataSet newAttrs, Instant now) throws SQLException {
        String sql = "UPDATE study SET num_series = num_series + ?, num_instances = num_instances + ?, modalities = ?,"
                + " sop_classes = ?, updated = ?"
                + (newAttrs != null ? ", study_date = ?, study_time = ?, accession_no = ?, study_id = ?, study_desc = ?, attrs = ?" : "")
                + " WHERE pk = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, addSeries);
            ps.setInt(2, addInstances);
            ps.setString(3, modalities);
            ps.setString(4, sopClasses);
            ps.setTimestamp(5, Timestamp.from(now), utc());
            int i = 6;
            if (newAttrs != null) {
                setStudyColumns(ps, i, newAttrs);
                i += 6;
            }
            ps.setLong(i, pk);
            ps.executeUpdate();
        }
        if (newAttrs != null && newAttrs.containsValue(Tag.ReferringPhysicianName)) {
            PersonNameRows.write(c, pk, PersonNameRows.Attr.REFERRING_PHYSICIAN_NAME, newAttrs, true);
        }
    }

    private static SeriesRow findSeries(Connection c, String seriesUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pk, study_fk, attrs, num_instances FROM series WHERE series_uid = ?")) {
            ps.setString(1, seriesUid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new SeriesRow(rs.getLong(1), rs.getLong(2), EntityAttributes.decode(rs.getBytes(3)),
                        rs.getInt(4)) : null;
            }
        }
    }

    private SeriesRow insertSeries(Connection c, long studyPk, DataSet attrs, Instant now) throws SQLException {
        try (PreparedStatement ps = dialect.prepareInsert(c, "INSERT INTO series (study_fk, series_uid, modality,"
                + " series_number, series_desc, attrs, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, studyPk);
            ps.setString(2, attrs.getString(Tag.SeriesInstanceUID));
            setSeriesColumns(ps, 3, attrs);
            ps.setTimestamp(7, Timestamp.from(now), utc());
            ps.setTimestamp(8, Timestamp.from(now), utc());
            return new SeriesRow(insert(ps, "series"), studyPk, attrs, 0);
        }
    }

    private static void setSeriesColumns(PreparedStatement ps, int first, DataSet attrs) throws SQLException {
        ps.setString(first, Columns.text(attrs, Tag.Modality, Columns.TEXT));
        setInteger(ps, first + 1, Columns.integer(attrs, Tag.SeriesNumber));
        ps.setString(first + 2, Columns.text(attrs, Tag.SeriesDescription, Columns.DESCRIPTION));
        ps.setBytes(first + 3, EntityAttributes.encode(attrs));
    }

    private static void updateSeries(Connection c, long pk, int addInstances, DataSet newAttrs, Instant now)
            throws SQLException {
        String sql = "UPDATE series SET num_instances = num_instances + ?, updated = ?"
                + (newAttrs != null ? ", modality = ?, series_number = ?, series_desc = ?, attrs = ?" : "") + " WHERE pk = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, addInstances);
            ps.setTimestamp(2, Timestamp.from(now), utc());
            int i = 3;
            if (newAttrs != null) {
                setSeriesColumns(ps, i, newAttrs);
                i += 4;
            }
            ps.setLong(i, pk);
            ps.executeUpdate();
        }
    }

    private void insertInstance(Connection c, long seriesPk, NewInstance n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO instance (series_fk, sop_uid, sop_class_uid,"
                + " instance_number, transfer_syntax_uid, storage_id, storage_key, object_size, checksum_algorithm,"
                + " checksum, received, attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            InstanceRecord r = n.record;
            ps.setLong(1, seriesPk);
            ps.setString(2, r.sopInstanceUid());
            ps.setString(3, r.sopClassUid());
            setInteger(ps, 4, n.instanceNumber);
            ps.setString(5, r.transferSyntaxUid());
            ps.setString(6, r.storageId());
            ps.setString(7, r.storageKey());
            ps.setLong(8, r.size());
            ps.setString(9, r.checksumAlgorithm());
            ps.setString(10, r.checksum());
            ps.setTimestamp(11, Timestamp.from(r.received()), utc());
            ps.setBytes(12, n.instanceAttrs);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                throw new Retry("instance recorded already", false);
            }
            throw e;
        }
    }

    private long insert(PreparedStatement ps, String table) throws SQLException {
        try {
            ps.executeUpdate();
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                throw new Retry(table + " created concurrently");
            }
            throw e;
        }
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("no key generated for the new " + table + " row");
            }
            return keys.getLong(1);
        }
    }

    // ---------------------------------------------------------------- derived attributes

    /** Adds a value to a backslash-separated set kept sorted. */
    static String addTo(String set, String value) {
        if (value == null || value.isEmpty()) {
            return set;
        }
        TreeSet<String> values = new TreeSet<>(Arrays.asList(set.isEmpty() ? new String[0] : set.split("\\\\")));
        return values.add(value) ? String.join("\\", values) : set;
    }

    private static String studyModalities(Connection c, long studyPk) throws SQLException {
        return distinct(c, "SELECT DISTINCT modality FROM series WHERE study_fk = ? AND modality IS NOT NULL", studyPk);
    }

    private static String studySopClasses(Connection c, long studyPk) throws SQLException {
        return distinct(c, "SELECT DISTINCT i.sop_class_uid FROM instance i JOIN series r ON r.pk = i.series_fk"
                + " WHERE r.study_fk = ?", studyPk);
    }

    private static String distinct(Connection c, String sql, long pk) throws SQLException {
        TreeSet<String> values = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, pk);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return String.join("\\", values);
    }

    // ---------------------------------------------------------------- helpers

    /** A calendar for TIMESTAMP columns, which hold UTC; a new one each time: drivers modify it. */
    static Calendar utc() {
        return Calendar.getInstance(UTC);
    }

    private static void execute(Connection c, String sql, long pk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, pk);
            ps.executeUpdate();
        }
    }

    private static long countLong(Connection c, String sql, long pk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, pk);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }
}
