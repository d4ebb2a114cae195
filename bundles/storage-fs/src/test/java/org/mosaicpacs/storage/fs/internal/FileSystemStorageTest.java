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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mosaicpacs.api.storage.ObjectDescriptor;
import org.mosaicpacs.api.storage.ObjectWriter;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageFullException;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.support.storage.PathLayout;
import org.mosaicpacs.testing.TestEnvironment;
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

    @ParameterizedTest(name = "direct I/O {0}")
    @ValueSource(booleans = {true, false})
    void aFullDiskDuringTheWriteIsStorageFullAndLeavesNothing(boolean directIo) throws Exception {
        Path small = mount("tmpfs", "size=1m");
        try {
            FileSystemStorage storage = new FileSystemStorage("fs", small, "{sop}.dcm", 0, "SHA-256", directIo);
            assertThat(storage.directIo()).isEqualTo(directIo && takesDirectIo(small));
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

    /**
     * Direct I/O writes whole blocks from an aligned buffer: every length around the block and
     * buffer boundaries must come back byte for byte, at its exact size (the padding cut off).
     */
    @Test
    void directIoStoresEveryLengthByteForByteAtItsExactSize() throws Exception {
        FileSystemStorage storage = storage("{sop}.dcm", 0);
        requireDirectIo();
        assertThat(storage.directIo()).isTrue();
        int block = (int) Files.getFileStore(root).getBlockSize();
        int buffer = 256 * 1024;
        int[] lengths = {0, 1, block - 1, block, block + 1, buffer - 1, buffer, buffer + 1, 3 * buffer + 17, 526_338};
        for (int i = 0; i < lengths.length; i++) {
            byte[] bytes = randomBytes(lengths[i]);
            StoredObject stored;
            try (ObjectWriter writer = storage.create(new ObjectDescriptor("1", "2", "3." + i, RECEIVED), -1)) {
                // in pieces that do not fall on block boundaries, as PDVs arrive
                for (int off = 0; off < bytes.length; off += 16_381) {
                    writer.stream().write(bytes, off, Math.min(16_381, bytes.length - off));
                }
                stored = writer.commit();
            }
            Path file = root.resolve(stored.key());
            assertThat(stored.size()).isEqualTo(lengths[i]);
            // stat(1) and sha256sum(1), not our code, say what is on disk
            assertThat(Tools.run(Duration.ofSeconds(10), List.of("stat", "-c", "%s", file.toString())).assertSuccess()
                    .out().trim()).as("size of a %d-byte object", lengths[i]).isEqualTo(Integer.toString(lengths[i]));
            assertThat(Tools.run(Duration.ofSeconds(30), List.of("sha256sum", file.toString())).assertSuccess().out())
                    .startsWith(stored.checksum() + " ");
            try (InputStream in = storage.open(stored.key())) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
        }
    }

    /** fincore(1) (util-linux, mincore(2)) counts the object's pages in the page cache right after the commit. */
    @ParameterizedTest(name = "direct I/O {0}")
    @ValueSource(booleans = {true, false})
    void directIoWritesAroundThePageCacheAndCanBeSwitchedOff(boolean directIo) throws Exception {
        requireDirectIo();
        FileSystemStorage storage = new FileSystemStorage("fs", root, "{sop}.dcm", 0, "CRC32C", directIo);
        assertThat(storage.directIo()).isEqualTo(directIo);
        StoredObject stored = write(storage, randomBytes(1_000_000));
        String resident = Tools.run(Duration.ofSeconds(10), List.of(Tools.require("fincore").toString(), "--bytes",
                "--noheadings", "--output", "RES", root.resolve(stored.key()).toString())).assertSuccess().out().trim();
        if (directIo) {
            assertThat(Long.parseLong(resident)).as("bytes of the object in the page cache").isZero();
        } else {
            assertThat(Long.parseLong(resident)).as("bytes of the object in the page cache").isGreaterThan(900_000);
        }
    }

    /** ramfs refuses O_DIRECT (EINVAL at open): the storage notices at start and writes through the page cache. */
    @Test
    void aFileSystemWithoutDirectIoIsWrittenThroughThePageCache() throws Exception {
        Path ram = mount("ramfs", "size=4m");
        try {
            assertThat(takesDirectIo(ram)).as("dd oflag=direct on ramfs").isFalse();
            FileSystemStorage storage = new FileSystemStorage("fs", ram, "{sop}.dcm", 0, "SHA-256", true);
            assertThat(storage.directIo()).isFalse();
            byte[] bytes = randomBytes(300_001);
            StoredObject stored = write(storage, bytes);
            try (InputStream in = storage.open(stored.key())) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
            try (Stream<Path> files = Files.walk(ram)) {
                assertThat(files.filter(Files::isRegularFile).toList()).as("the probe file is gone")
                        .containsExactly(ram.resolve(stored.key()));
            }
        } finally {
            Tools.run(Duration.ofSeconds(10), List.of("umount", ram.toString())).assertSuccess();
        }
    }

    /** Whether GNU dd can write a block with O_DIRECT into this folder: the oracle for our probe. */
    private static boolean takesDirectIo(Path dir) throws IOException {
        Path probe = dir.resolve("dd-direct-probe");
        try {
            return Tools.run(Duration.ofSeconds(10), List.of("dd", "if=/dev/zero", "of=" + probe, "bs=4096", "count=1",
                    "oflag=direct", "status=none")).exitCode() == 0;
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private void requireDirectIo() throws IOException {
        if (!takesDirectIo(root)) {
            TestEnvironment.missing("a file system that takes direct I/O at " + root,
                    "run the tests on ext4, xfs or tmpfs (Linux 6.6 or later)");
        }
    }

    /** Mounts a small file system of this type under the test folder (needs root, as CI runs). */
    private Path mount(String type, String options) throws IOException {
        Path mountPoint = root.resolve(type);
        Files.createDirectories(mountPoint);
        if (!"0".equals(Tools.run(Duration.ofSeconds(10), List.of("id", "-u")).out().trim())) {
            TestEnvironment.missing("root, to mount a small " + type, "run the suite as root (CI does)");
        }
        Tools.run(Duration.ofSeconds(10), List.of("mount", "-t", type, "-o", options, type, mountPoint.toString()))
                .assertSuccess();
        return mountPoint;
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
