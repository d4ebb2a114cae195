package org.mosaicpacs.index.jdbc.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Future;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Tag;

/**
 * An instance about to be recorded: its attributes split per level, checked and ready for the
 * database, prepared outside the transaction.
 */
final class NewInstance {

    final DataSet patient;
    final DataSet study;
    final DataSet series;
    final DataSet instance;
    final String patientIdentity;
    final InstanceRecord record;
    final Integer instanceNumber;
    final byte[] instanceAttrs;
    private final StoredObject object;
    private final Future<?> objectDurable;

    private NewInstance(Map<QueryLevel, DataSet> levels, InstanceRecord record, StoredObject object,
                        Future<?> objectDurable) {
        this.patient = levels.get(QueryLevel.PATIENT);
        this.study = levels.get(QueryLevel.STUDY);
        this.series = levels.get(QueryLevel.SERIES);
        this.instance = levels.get(QueryLevel.IMAGE);
        this.patientIdentity = Columns.patientIdentity(patient);
        this.record = record;
        this.instanceNumber = Columns.integer(instance, Tag.InstanceNumber);
        this.instanceAttrs = EntityAttributes.encode(instance);
        this.object = object;
        this.objectDurable = objectDurable;
    }

    /**
     * Waits, before the transaction recording this instance commits, until its object is durable
     * (at once if it already was).
     *
     * @throws IndexException if the object did not become durable: nothing may be recorded
     */
    void awaitObjectDurable() throws IndexException {
        if (objectDurable != null) {
            ArchiveIndex.awaitDurable(objectDurable, object);
        }
    }

    /**
     * Prepares an instance.
     *
     * @param objectDurable completes when the object is durable; null if it is already
     * @throws IndexException if a UID the index needs is missing or too long
     */
    static NewInstance of(DataSet header, StoredObject object, String transferSyntaxUid, Instant received,
                          Future<?> objectDurable) throws IndexException {
        String studyUid = uid(header, Tag.StudyInstanceUID);
        String seriesUid = uid(header, Tag.SeriesInstanceUID);
        String sopUid = uid(header, Tag.SOPInstanceUID);
        String sopClassUid = uid(header, Tag.SOPClassUID);
        String id = header.getString(Tag.PatientID);
        if (id != null && id.length() > Columns.TEXT || header.getString(Tag.IssuerOfPatientID, "").length() > Columns.TEXT) {
            throw new IndexException("Patient ID or Issuer of Patient ID longer than " + Columns.TEXT + " characters");
        }
        // PostgreSQL keeps microseconds: keep the same on Derby, so both answer alike
        Instant receivedMicros = received.truncatedTo(ChronoUnit.MICROS);
        InstanceRecord record = new InstanceRecord(studyUid, seriesUid, sopUid, sopClassUid, transferSyntaxUid,
                object.storageId(), object.key(), object.size(), object.checksumAlgorithm(), object.checksum(),
                receivedMicros);
        return new NewInstance(EntityAttributes.split(header), record, object, objectDurable);
    }

    private static String uid(DataSet header, int tag) throws IndexException {
        String uid = header.getString(tag);
        if (uid == null) {
            throw new IndexException("the data set has no " + ElementDictionary.keywordOf(tag) + " and cannot be indexed");
        }
        if (uid.length() > Columns.UID) {
            throw new IndexException(ElementDictionary.keywordOf(tag) + " is longer than 64 characters: " + uid);
        }
        return uid;
    }
}
