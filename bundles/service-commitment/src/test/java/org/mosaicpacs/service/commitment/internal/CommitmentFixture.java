package org.mosaicpacs.service.commitment.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.api.remote.RemoteAeRegistry;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;

/**
 * An archive and index in memory for the Storage Commitment SCP: {@link #store} records an object's
 * bytes with its CRC32C as ingest does by default, {@link #alter} changes the bytes afterwards (what checksum
 * verification must catch), and a remote AE registry the tests fill.
 */
final class CommitmentFixture {

    private final Map<String, InstanceRecord> records = new ConcurrentHashMap<>();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, RemoteAe> remotes = new ConcurrentHashMap<>();

    /** Stores an object of this SOP class and instance, recording its checksum as ingest does. */
    void store(String sopClassUid, String sopInstanceUid) {
        byte[] object = ("object " + sopInstanceUid).getBytes(StandardCharsets.US_ASCII);
        record(sopClassUid, sopInstanceUid, object, "CRC32C", crc32c(object));
    }

    /** Stores an object as ingest did before CRC32C became the default: with its SHA-256. */
    void storeWithSha256(String sopClassUid, String sopInstanceUid) throws NoSuchAlgorithmException {
        byte[] object = ("object " + sopInstanceUid).getBytes(StandardCharsets.US_ASCII);
        record(sopClassUid, sopInstanceUid, object, "SHA-256",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(object)));
    }

    private void record(String sopClassUid, String sopInstanceUid, byte[] object, String algorithm, String checksum) {
        records.put(sopInstanceUid, new InstanceRecord("1.2.3", "1.2.3.0", sopInstanceUid, sopClassUid,
                UID.ExplicitVRLittleEndian, "fs", sopInstanceUid + ".dcm", object.length, algorithm, checksum,
                Instant.now()));
        objects.put(sopInstanceUid, object);
    }

    /** Changes a stored object's bytes behind the index's back. */
    void alter(String sopInstanceUid) {
        objects.put(sopInstanceUid, "bit rot".getBytes(StandardCharsets.US_ASCII));
    }

    void addRemote(RemoteAe remote) {
        remotes.put(remote.aeTitle(), remote);
    }

    StorageCommitmentScp scp(boolean alwaysNewAssociation) {
        return new StorageCommitmentScp(index(), archive(), registry(), config(alwaysNewAssociation));
    }

    /** An N-ACTION Action Information: Transaction UID and (class, instance) pairs. */
    static DataSet request(String transactionUid, List<String> classAndInstance) {
        DataSet ds = new DataSet();
        ds.setString(Tag.TransactionUID, VR.UI, transactionUid);
        Sequence seq = ds.newSequence(Tag.ReferencedSOPSequence);
        for (int i = 0; i < classAndInstance.size(); i += 2) {
            DataSet item = seq.addNewItem();
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, classAndInstance.get(i));
            item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, classAndInstance.get(i + 1));
        }
        return ds;
    }

    private static String crc32c(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        return String.format("%08x", crc.getValue());
    }

    private ArchiveIndex index() {
        return new ArchiveIndex() {
            @Override
            public RecordOutcome record(DataSet header, StoredObject object, String ts, Instant received, boolean replace) {
                throw new IllegalStateException("not used by commitment");
            }

            @Override
            public Optional<InstanceRecord> findInstance(String sop) {
                return Optional.ofNullable(records.get(sop));
            }

            @Override
            public List<InstanceRecord> findInstances(String study, String series) {
                return List.copyOf(records.values());
            }

            @Override
            public QueryResults query(IndexQuery query) {
                throw new IllegalStateException("not used by commitment");
            }

            @Override
            public Optional<InstanceRecord> removeInstance(String sop) {
                return Optional.empty();
            }
        };
    }

    private Archive archive() {
        return new Archive() {
            @Override
            public StoreResult store(StoreRequest request, InputStream stream) {
                throw new IllegalStateException("not used by commitment");
            }

            @Override
            public StoredInstance open(String sop) throws ArchiveException {
                InstanceRecord r = records.get(sop);
                if (r == null) {
                    throw new ArchiveException(ArchiveException.Reason.NOT_FOUND, "no " + sop);
                }
                InputStream in = new ByteArrayInputStream(objects.get(sop));
                return new StoredInstance() {
                    @Override
                    public InstanceRecord record() {
                        return r;
                    }

                    @Override
                    public InputStream stream() {
                        return in;
                    }

                    @Override
                    public void close() throws IOException {
                        in.close();
                    }
                };
            }
        };
    }

    private RemoteAeRegistry registry() {
        return new RemoteAeRegistry() {
            @Override
            public Optional<RemoteAe> find(String aeTitle) {
                return Optional.ofNullable(remotes.get(aeTitle));
            }

            @Override
            public List<RemoteAe> all() {
                return List.copyOf(remotes.values());
            }
        };
    }

    private static StorageCommitmentScp.Config config(boolean alwaysNew) {
        return new StorageCommitmentScp.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StorageCommitmentScp.Config.class;
            }

            @Override
            public boolean verifyChecksums() {
                return true;
            }

            @Override
            public boolean alwaysNewAssociation() {
                return alwaysNew;
            }
        };
    }
}
