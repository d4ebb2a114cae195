package org.mosaicpacs.archive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.ArchiveException.Reason;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.storage.ObjectDescriptor;
import org.mosaicpacs.api.storage.ObjectWriter;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageFullException;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.storage.fs.internal.ReactorStorage;
import org.mosaicpacs.testing.TestData;

/**
 * The storage commit (fdatasync, rename) and the index recording overlap, on the real filesystem
 * storage: the index is asked while the object is still being committed, and a failure of either
 * leaves neither an index entry nor a file behind.
 */
class IngestCommitOverlapTest {

    @TempDir
    Path temp;

    private final ExecutorService committer = Executors.newCachedThreadPool();
    private final WatchedIndex index = new WatchedIndex();
    private HookedStorage storage;
    private Ingest ingest;
    private byte[] ct;

    @BeforeEach
    void open() throws IOException {
        storage = new HookedStorage(ReactorStorage.fileSystem(temp.resolve("fs"), "CRC32C"));
        ArchiveSettings settings = new ArchiveSettings("fs", DuplicatePolicy.REJECT, List.of(), 0, 64L << 20,
                CompressionPolicy.OFF);
        ingest = new Ingest(index, id -> storage, settings,
                new IngestCompressor(CompressionPolicy.OFF, () -> null, 1 << 20, temp.resolve("spool")), Clock.systemUTC(),
                committer);
        Path file = TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native")).stream().filter(IngestTest::isCt)
                .findFirst().orElseThrow();
        ct = Files.readAllBytes(file);
    }

    @AfterEach
    void close() {
        committer.shutdownNow();
    }

    @Test
    void theIndexIsAskedWhileTheObjectIsStillBeingCommitted() throws Exception {
        AtomicBoolean overlapped = new AtomicBoolean();
        storage.beforeCommit = () -> overlapped.set(await(index.asked));

        Ingest.Stored stored = ingest.store(StoreRequest.part10("TEST"), new ByteArrayInputStream(ct));

        assertThat(overlapped).as("the index was asked before the commit went on").isTrue();
        InstanceRecord record = stored.outcome().instance();
        assertThat(index.findInstance(record.sopInstanceUid())).contains(record);
        Path file = temp.resolve("fs").resolve(record.storageKey());
        assertThat(IngestFixture.dataSetBytes(file)).isEqualTo(IngestFixture.dataSetBytes(writeTemp(ct)));
        assertThat(record.size()).isEqualTo(Files.size(file));
        assertThat(record.checksumAlgorithm()).isEqualTo("CRC32C");
    }

    @Test
    void anObjectThatFailsToCommitIsNeitherRecordedNorLeftInStorage() throws Exception {
        storage.beforeCommit = () -> {
            await(index.asked);
            throw new StorageFullException("simulated: no space left for the commit");
        };
        assertThat(storeRefused().reason()).isEqualTo(Reason.OUT_OF_RESOURCES);

        storage.beforeCommit = () -> {
            throw new StorageException("simulated: fdatasync failed");
        };
        ArchiveException fdatasync = storeRefused();
        assertThat(fdatasync.reason()).isEqualTo(Reason.PROCESSING_FAILURE);
        assertThat(fdatasync.getMessage()).contains("storage failure").contains("fdatasync failed");
        // a backend that breaks the contract with a plain IOException: still the storage's failure
        storage.beforeCommit = () -> {
            throw new IOException("simulated: plain I/O failure");
        };
        ArchiveException plain = storeRefused();
        assertThat(plain.reason()).isEqualTo(Reason.PROCESSING_FAILURE);
        assertThat(plain.getMessage()).contains("storage failure").contains("plain I/O failure");
        assertThat(commitsEnded()).isTrue();
        assertThat(index.recorded).isZero();
        assertThat(files()).isEmpty();
    }

    @Test
    void anIndexFailureRemovesTheObjectOnlyAfterItsCommitEnded() throws Exception {
        index.failure = new IndexException("simulated: the database is gone");
        // a slow commit: removing the object before it ends would leave the renamed file behind
        storage.beforeCommit = () -> sleep(300);

        ArchiveException refused = storeRefused();
        assertThat(refused.reason()).isEqualTo(Reason.PROCESSING_FAILURE);
        assertThat(refused.getMessage()).contains("index failure").contains("the database is gone");
        assertThat(commitsEnded()).isTrue();
        assertThat(files()).isEmpty();
    }

    @Test
    void manyAssociationsAtOnceEachGetTheirObjectRecorded() throws Exception {
        ExecutorService associations = Executors.newFixedThreadPool(4);
        try {
            List<Path> files = TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native"));
            List<Future<Ingest.Stored>> stores = files.stream().map(f -> associations.submit(() -> {
                try (InputStream in = Files.newInputStream(f)) {
                    return ingest.store(StoreRequest.part10("TEST"), in);
                }
            })).toList();
            for (int i = 0; i < files.size(); i++) {
                InstanceRecord record = stores.get(i).get(60, TimeUnit.SECONDS).outcome().instance();
                assertThat(IngestFixture.dataSetBytes(temp.resolve("fs").resolve(record.storageKey())))
                        .as(files.get(i).toString()).isEqualTo(IngestFixture.dataSetBytes(files.get(i)));
            }
            assertThat(index.recorded).isEqualTo(files.size());
            assertThat(files()).hasSize(files.size());
        } finally {
            associations.shutdownNow();
        }
    }

    /** Stores the CT image, which must be refused; returns why. */
    private ArchiveException storeRefused() {
        ArchiveException refusal = catchThrowableOfType(() -> ingest.store(StoreRequest.part10("TEST"),
                new ByteArrayInputStream(ct)), ArchiveException.class);
        assertThat(refusal).as("the store is refused with an ArchiveException").isNotNull();
        return refusal;
    }

    /** Lets every commit under way end (the ingest may have answered before a failed one's cleanup). */
    private boolean commitsEnded() throws InterruptedException {
        committer.shutdown();
        return committer.awaitTermination(10, TimeUnit.SECONDS);
    }

    private Path writeTemp(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(temp, "sent", ".dcm");
        return Files.write(p, bytes);
    }

    private List<Path> files() throws IOException {
        Path root = temp.resolve("fs");
        if (!Files.exists(root)) {
            return List.of();
        }
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs before a commit goes on; may throw what a failing commit would. */
    private interface CommitHook {
        void run() throws IOException;
    }

    /** The real filesystem storage, with a hook at the start of every commit. */
    private static final class HookedStorage implements StorageBackend {
        private final StorageBackend real;
        volatile CommitHook beforeCommit = () -> { };

        HookedStorage(StorageBackend real) {
            this.real = real;
        }

        @Override
        public String id() {
            return real.id();
        }

        @Override
        public ObjectWriter create(ObjectDescriptor object, long expectedSize) throws IOException {
            ObjectWriter w = real.create(object, expectedSize);
            return new ObjectWriter() {
                @Override
                public OutputStream stream() {
                    return w.stream();
                }

                @Override
                public Optional<StoredObject> finish() throws IOException {
                    return w.finish();
                }

                @Override
                public StoredObject commit() throws IOException {
                    beforeCommit.run();
                    return w.commit();
                }

                @Override
                public void close() throws IOException {
                    w.close();
                }
            };
        }

        @Override
        public InputStream open(String key) throws IOException {
            return real.open(key);
        }

        @Override
        public SeekableByteChannel openChannel(String key) throws IOException {
            return real.openChannel(key);
        }

        @Override
        public boolean exists(String key) throws IOException {
            return real.exists(key);
        }

        @Override
        public void delete(String key) throws IOException {
            real.delete(key);
        }
    }

    /** The in-memory index, telling when a recording is asked for, and failing it on demand. */
    private static final class WatchedIndex implements ArchiveIndex {
        private final InMemoryIndex real = new InMemoryIndex();
        final CountDownLatch asked = new CountDownLatch(1);
        volatile IndexException failure;
        volatile int recorded;

        @Override
        public RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid, Instant received,
                                    boolean replaceExisting, Future<?> objectDurable) throws IndexException {
            asked.countDown();
            if (failure != null) {
                throw failure;
            }
            // the default: waits for the object, then records
            return ArchiveIndex.super.record(header, object, transferSyntaxUid, received, replaceExisting, objectDurable);
        }

        @Override
        public synchronized RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid,
                                                 Instant received, boolean replaceExisting) throws IndexException {
            RecordOutcome outcome = real.record(header, object, transferSyntaxUid, received, replaceExisting);
            recorded++;
            return outcome;
        }

        @Override
        public Optional<InstanceRecord> findInstance(String sopInstanceUid) {
            return real.findInstance(sopInstanceUid);
        }

        @Override
        public List<InstanceRecord> findInstances(String studyInstanceUid, String seriesInstanceUid) {
            return real.findInstances(studyInstanceUid, seriesInstanceUid);
        }

        @Override
        public QueryResults query(IndexQuery query) {
            return real.query(query);
        }

        @Override
        public Optional<InstanceRecord> removeInstance(String sopInstanceUid) {
            return real.removeInstance(sopInstanceUid);
        }
    }
}
