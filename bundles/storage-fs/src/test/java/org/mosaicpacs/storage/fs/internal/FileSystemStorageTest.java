package org.mosaicpacs.storage.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.storage.ObjectDescriptor;
import org.mosaicpacs.api.storage.ObjectWriter;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageFullException;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.testing.Tools;

class FileSystemStorageTest {

    private static final Instant RECEIVED = Instant.parse("2026-03-04T05:06:07Z");
    private static final ObjectDescriptor OBJECT = new ObjectDescriptor("1.2.3", "1.2.3.4", "1.2.3.4.5", RECEIVED);

    @TempDir
    Path root;

    private FileSystemStorage storage(String pattern, long minFree) throws IOException {
        return new FileSystemStorage("fs", root, pattern, minFree, "SHA-256");
    }

    @Test
    void committedObjectIsReadableUnderItsKeyWithSizeAndChecksum() throws Exception {
        FileSystemStorage storage = storage("{study}/{series}/{sop}.dcm", 0);
        byte[] bytes = randomBytes(1_000_003);
        StoredObject stored;
        try (ObjectWriter writer = storage.create(OBJECT, bytes.length)) {
            writer.stream().write(bytes);
            stored = writer.commit();
        }
        assertThat(stored.key()).isEqualTo("1.2.3/1.2.3.4/1.2.3.4.5.dcm");
        assertThat(stored.size()).isEqualTo(bytes.length);
        try (InputStream in = storage.open(stored.key())) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        // The checksum agrees with an independent implementation (coreutils).
        Path file = root.resolve(stored.key());
        String sha = Tools.run(Duration.ofSeconds(30), List.of("sha256sum", file.toString())).assertSuccess().out();
        assertThat(sha).startsWith(stored.checksum() + " ");
        assertThat(stored.checksumAlgorithm()).isEqualTo("SHA-256");
    }

    @Test
    void theDefaultCrc32cAgreesWithAnIndependentImplementation() throws Exception {
        FileSystemStorage storage = new FileSystemStorage("fs", root, "{sop}.dcm", 0, "CRC32C");
        byte[] bytes = randomBytes(300_007);
        StoredObject stored;
        try (ObjectWriter writer = storage.create(OBJECT, bytes.length)) {
            writer.stream().write(bytes, 0, 7);
            writer.stream().write(bytes[7]);
            writer.stream().write(bytes, 8, bytes.length - 8);
            stored = writer.commit();
        }
        assertThat(stored.checksumAlgorithm()).isEqualTo("CRC32C");
        // Python, table-driven, reflected Castagnoli polynomial (RFC 3720 B.4): not the JDK's code.
        String crc = Tools.run(Duration.ofSeconds(60), List.of(Tools.require("python3").toString(), "-c", """
                import sys
                t = []
                for n in range(256):
                    c = n
                    for _ in range(8):
                        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
                    t.append(c)
                c = 0xFFFFFFFF
                for b in open(sys.argv[1], 'rb').read():
                    c = t[(c ^ b) & 0xFF] ^ (c >> 8)
                print('%08x' % (c ^ 0xFFFFFFFF))
                """, root.resolve(stored.key()).toString())).assertSuccess().out().trim();
        assertThat(stored.checksum()).isEqualTo(crc);
    }

    @Test
    void anUnknownChecksumAlgorithmIsRefusedAtConfiguration() {
        assertThatThrownBy(() -> new FileSystemStorage("fs", root, "{sop}.dcm", 0, "SHA-257"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHA-257");
    }

    @Test
    void finishTellsWhatCommitWillStoreBeforeAnythingIsVisibleAndCommitMayRunOnAnotherThread() throws Exception {
        FileSystemStorage storage = storage("{study}/{series}/{sop}.dcm", 0);
        byte[] bytes = randomBytes(700_001);
        ObjectWriter writer = storage.create(OBJECT, -1);
        writer.stream().write(bytes);
        StoredObject finished = writer.finish().orElseThrow();
        assertThat(writer.finish()).contains(finished);
        assertThat(finished.key()).isEqualTo("1.2.3/1.2.3.4/1.2.3.4.5.dcm");
        assertThat(finished.size()).isEqualTo(bytes.length);
        assertThat(storage.exists(finished.key())).as("not visible before commit").isFalse();

        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            StoredObject committed = other.submit(writer::commit).get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(committed).isEqualTo(finished);
        } finally {
            other.shutdownNow();
        }
        try (InputStream in = storage.open(finished.key())) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        String sha = Tools.run(Duration.ofSeconds(30), List.of("sha256sum", root.resolve(finished.key()).toString()))
                .assertSuccess().out();
        assertThat(sha).startsWith(finished.checksum() + " ");
        assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class);
        writer.close();
        assertThat(storage.exists(finished.key())).as("close after commit keeps the object").isTrue();
    }

    @Test
    void aFinishedObjectThatIsClosedInsteadOfCommittedLeavesNothing() throws Exception {
        FileSystemStorage storage = storage("{study}/{series}/{sop}.dcm", 0);
        try (ObjectWriter writer = storage.create(OBJECT, -1)) {
            writer.stream().write(randomBytes(300_000));
            writer.finish().orElseThrow();
        }
        assertThat(allFiles()).isEmpty();
    }

    @Test
    void uncommittedObjectLeavesNothingBehind() throws Exception {
        FileSystemStorage storage = storage("{study}/{series}/{sop}.dcm", 0);
        try (ObjectWriter writer = storage.create(OBJECT, -1)) {
            writer.stream().write(randomBytes(10_000));
            // no commit: the ingest failed half way
        }
        assertThat(storage.exists("1.2.3/1.2.3.4/1.2.3.4.5.dcm")).isFalse();
        assertThat(allFiles()).isEmpty();
    }

    @Test
    void partialWriteIsNeverVisibleUnderTheKey() throws Exception {
        FileSystemStorage storage = storage("{study}/{series}/{sop}.dcm", 0);
        try (ObjectWriter writer = storage.create(OBJECT, -1)) {
            writer.stream().write(randomBytes(100_000));
            writer.stream().flush();
            assertThat(storage.exists("1.2.3/1.2.3.4/1.2.3.4.5.dcm")).isFalse();
            writer.commit();
        }
        assertThat(storage.exists("1.2.3/1.2.3.4/1.2.3.4.5.dcm")).isTrue();
    }

    @Test
    void leftoversOfACrashAreRemovedOnStart() throws Exception {
        storage("{study}/{sop}.dcm", 0);
        Path leftover = root.resolve(FileSystemStorage.INCOMING).resolve("dead.part");
        Files.write(leftover, new byte[100]);
        storage("{study}/{sop}.dcm", 0);
        assertThat(leftover).doesNotExist();
    }

    @Test
    void commitReplacesAnExistingObjectAtomically() throws Exception {
        FileSystemStorage storage = storage("{sop}.dcm", 0);
        write(storage, new byte[] {1, 2, 3});
        StoredObject second = write(storage, new byte[] {4, 5});
        try (InputStream in = storage.open(second.key())) {
            assertThat(in.readAllBytes()).containsExactly(4, 5);
        }
    }

    @Test
    void dateLayoutUsesTheReceiveTimeInUtc() throws Exception {
        FileSystemStorage storage = storage("{yyyy}/{MM}/{dd}/{study}/{series}/{sop}.dcm", 0);
        assertThat(write(storage, new byte[] {1}).key()).isEqualTo("2026/03/04/1.2.3/1.2.3.4/1.2.3.4.5.dcm");
    }

    @Test
    void badPatternsAndUidsAreRefusedWithAReason() {
        assertThatThrownBy(() -> new PathLayout("{study}/x.dcm")).hasMessageContaining("{sop}");
        assertThatThrownBy(() -> new PathLayout("../{sop}")).hasMessageContaining("..");
        assertThatThrownBy(() -> new PathLayout("{patient}/{sop}")).hasMessageContaining("unknown token {patient}");
        PathLayout layout = new PathLayout("{study}/{sop}");
        assertThatThrownBy(() -> layout.pathFor(new ObjectDescriptor("1.2/../../etc", "1", "2", RECEIVED)))
                .hasMessageContaining("Study Instance UID");
    }

    @Test
    void keysOutsideTheRootAreRefused() throws Exception {
        FileSystemStorage storage = storage("{sop}.dcm", 0);
        assertThatThrownBy(() -> storage.open("../outside")).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> storage.open(FileSystemStorage.INCOMING + "/x.part")).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> storage.open("missing.dcm")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void randomAccessReadsAFrameWithoutReadingTheWholeObject() throws Exception {
        FileSystemStorage storage = storage("{sop}.dcm", 0);
        byte[] bytes = randomBytes(50_000);
        StoredObject stored = write(storage, bytes);
        try (SeekableByteChannel channel = storage.openChannel(stored.key())) {
            ByteBuffer frame = ByteBuffer.allocate(1000);
            channel.position(40_000).read(frame);
            assertThat(frame.array()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 40_000, 41_000));
        }
    }

    @Test
    void deleteRemovesTheFileAndTheFoldersItLeavesEmpty() throws Exception {
        FileSystemStorage storage = storage("{study}/{series}/{sop}.dcm", 0);
        StoredObject stored = write(storage, new byte[] {1});
        storage.delete(stored.key());
        storage.delete(stored.key()); // twice is fine
        assertThat(root.resolve("1.2.3")).doesNotExist();
        assertThat(root).exists();
    }

    @Test
    void reserveRefusesNewObjectsBeforeTheDiskFills() throws Exception {
        long usable = Files.getFileStore(root).getUsableSpace();
        FileSystemStorage storage = storage("{sop}.dcm", usable + 1);
        assertThatThrownBy(() -> storage.create(OBJECT, 10))
                .isInstanceOf(StorageFullException.class)
                .hasMessageContaining("reserve");
        assertThat(allFiles()).isEmpty();
    }

    @Test
    void aFullDiskDuringTheWriteIsStorageFullAndLeavesNothing() throws Exception {
        Path small = root.resolve("small");
        Files.createDirectories(small);
        if (!"0".equals(Tools.run(Duration.ofSeconds(10), List.of("id", "-u")).out().trim())) {
            org.mosaicpacs.testing.TestEnvironment.missing("root, to mount a small tmpfs", "run the suite as root (CI does)");
        }
        Tools.run(Duration.ofSeconds(10), List.of("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString()))
                .assertSuccess();
        try {
            FileSystemStorage storage = new FileSystemStorage("fs", small, "{sop}.dcm", 0, "SHA-256");
            StoredObject first = write(storage, randomBytes(300_000));
            assertThatThrownBy(() -> write(storage, randomBytes(2_000_000), new ObjectDescriptor("1", "2", "3", RECEIVED)))
                    .isInstanceOf(StorageFullException.class)
                    .hasMessageContaining("ran out of space");
            // Nothing of the failed object remains; the earlier object is intact.
            try (Stream<Path> files = Files.walk(small)) {
                assertThat(files.filter(Files::isRegularFile).toList()).containsExactly(small.resolve(first.key()));
            }
            assertThat(Files.size(small.resolve(first.key()))).isEqualTo(300_000);
        } finally {
            Tools.run(Duration.ofSeconds(10), List.of("umount", small.toString())).assertSuccess();
        }
    }

    private static StoredObject write(FileSystemStorage storage, byte[] bytes) throws IOException {
        return write(storage, bytes, OBJECT);
    }

    private static StoredObject write(FileSystemStorage storage, byte[] bytes, ObjectDescriptor object) throws IOException {
        try (ObjectWriter writer = storage.create(object, -1)) {
            OutputStream out = writer.stream();
            out.write(bytes);
            return writer.commit();
        }
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
