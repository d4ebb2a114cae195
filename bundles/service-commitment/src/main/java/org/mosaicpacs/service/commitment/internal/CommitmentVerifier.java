package org.mosaicpacs.service.commitment.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.storage.ObjectChecksum;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, for each instance a requester wants committed, whether the archive holds it safely:
 * indexed with the same SOP class, and (optionally) its stored bytes still match the checksum
 * recorded at ingest. Builds the Event Information of the N-EVENT-REPORT (PS3.4 J.3.3.1).
 */
final class CommitmentVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(CommitmentVerifier.class);

    /** Event Type ID 1: Storage Commitment Request Successful (PS3.4 J.3.3). */
    static final int ALL_SUCCESSFUL = 1;
    /** Event Type ID 2: Storage Commitment Request Complete - Failures Exist. */
    static final int FAILURES_EXIST = 2;
    /** Failure Reason 0119: Class / Instance conflict (PS3.4 J.3.3.1.1.1). */
    static final int CLASS_INSTANCE_CONFLICT = 0x0119;

    /** The Event Type ID and Event Information to report. */
    record Report(int eventTypeId, DataSet eventInformation, int committed, int failed) {
    }

    /** One referenced instance from the N-ACTION. */
    record Reference(String sopClassUid, String sopInstanceUid) {
    }

    private final ArchiveIndex index;
    private final Archive archive;
    private final boolean verifyChecksums;

    CommitmentVerifier(ArchiveIndex index, Archive archive, boolean verifyChecksums) {
        this.index = index;
        this.archive = archive;
        this.verifyChecksums = verifyChecksums;
    }

    Report verify(String transactionUid, List<Reference> references, String retrieveAeTitle) {
        DataSet info = new DataSet();
        info.setString(Tag.TransactionUID, VR.UI, transactionUid);
        if (retrieveAeTitle != null) {
            info.setString(Tag.RetrieveAETitle, VR.AE, retrieveAeTitle);
        }
        Sequence committed = null;
        Sequence failed = null;
        int ok = 0;
        int bad = 0;
        for (Reference ref : references) {
            int failure = check(ref);
            if (failure == 0) {
                if (committed == null) {
                    committed = info.newSequence(Tag.ReferencedSOPSequence);
                }
                DataSet item = committed.addNewItem();
                item.setString(Tag.ReferencedSOPClassUID, VR.UI, ref.sopClassUid());
                item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, ref.sopInstanceUid());
                ok++;
            } else {
                if (failed == null) {
                    failed = info.newSequence(Tag.FailedSOPSequence);
                }
                DataSet item = failed.addNewItem();
                item.setString(Tag.ReferencedSOPClassUID, VR.UI, ref.sopClassUid());
                item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, ref.sopInstanceUid());
                item.setInt(Tag.FailureReason, VR.US, failure);
                bad++;
            }
        }
        return new Report(bad == 0 ? ALL_SUCCESSFUL : FAILURES_EXIST, info, ok, bad);
    }

    /** 0 when the instance is committed, else its Failure Reason. */
    private int check(Reference ref) {
        Optional<InstanceRecord> record;
        try {
            record = index.findInstance(ref.sopInstanceUid());
        } catch (IndexException e) {
            LOG.warn("Storage commitment: index lookup failed: {}", e.getMessage());
            return Status.PROCESSING_FAILURE;
        }
        if (record.isEmpty()) {
            return Status.NO_SUCH_SOP_INSTANCE;
        }
        if (!record.get().sopClassUid().equals(ref.sopClassUid())) {
            return CLASS_INSTANCE_CONFLICT;
        }
        if (verifyChecksums && !checksumMatches(record.get())) {
            return Status.PROCESSING_FAILURE;
        }
        return 0;
    }

    /** Reads the stored object back and compares its digest with the one recorded at ingest. */
    private boolean checksumMatches(InstanceRecord record) {
        try (StoredInstance stored = archive.open(record.sopInstanceUid());
             InputStream in = stored.stream()) {
            boolean same = ObjectChecksum.of(record.checksumAlgorithm(), in).hex().equals(record.checksum());
            if (!same) {
                LOG.error("Storage commitment: stored object {} in storage {} no longer matches its {} checksum",
                        record.storageKey(), record.storageId(), record.checksumAlgorithm());
            }
            return same;
        } catch (ArchiveException | IOException | IllegalArgumentException e) {
            LOG.warn("Storage commitment: cannot verify {} in storage {}: {}", record.storageKey(), record.storageId(),
                    e.getMessage());
            return false;
        }
    }
}
