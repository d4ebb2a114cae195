package org.mosaicpacs.storage.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.storage.ObjectChecksum;
import org.mosaicpacs.api.storage.ObjectDescriptor;
import org.mosaicpacs.api.storage.ObjectWriter;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageFullException;
import org.mosaicpacs.api.storage.StoredObject;

import software.amazon.awssdk.services.s3.S3Client;
/**
 * The S3 backend against S3Proxy, an independent S3 server, on its filesystem store: what the
 * backend committed is checked in the server's own store (jclouds), not read back through the
 * backend alone.
 */
class S3StorageTest {

    private static final String BUCKET = "mosaic-test";
    private static final Instant RECEIVED = Instant.parse("2026-03-04T05:06:07Z");

    private static BlobStoreContext context;
    private static BlobStore blobs;
    private static S3Proxy proxy;
    private static S3Client client;

    @TempDir
    Path spool;

    @BeforeAll
    static void startS3Proxy(@TempDir Path store) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", store.toString());
        context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential").overrides(properties)
                .build(BlobStoreContext.class);
        blobs = context.getBlobStore();
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret").build();
        proxy.start();
        for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        client = S3StorageComponent.client(endpoint(), "us-east-1", true, "access", "secret", Duration.ofSeconds(5),
                Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (client != null) {
            client.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
        if (context != null) {
            context.close();
        }
    }

    private static String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    @BeforeEach
    void emptyBucket() {
        blobs.createContainerInLocation(null, BUCKET);
        namesInBucket().forEach(name -> blobs.removeBlob(BUCKET, name)); // (clearContainer fails on this store)
    }

    private S3Storage storage(String prefix, String algorithm) throws IOException {
        return new S3Storage("s3", client, BUCKET, prefix, "{study}/{series}/{sop}.dcm", algorithm, spool, 0, S3Storage.Uploads.DEFAULT);
    }

    private static ObjectDescriptor object(String sop) {
        return new ObjectDescriptor("1.2.3", "1.2.3.4", sop, RECEIVED);
    }

    private static byte[] bytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String checksum(String algorithm, byte[] content) throws IOException {
        return ObjectChecksum.of(algorithm, new ByteArrayInputStream(content)).hex();
    }

    private static StoredObject write(S3Storage storage, String sop, byte[] content) throws IOException {
        try (ObjectWriter writer = storage.create(object(sop), content.length)) {
            writer.stream().write(content);
            return writer.commit();
        }
    }

    private static List<String> namesInBucket() {
        return blobs.list(BUCKET, ListContainerOptions.Builder.recursive()).stream()
                .filter(m -> m.getType() == StorageType.BLOB)
                .map(StorageMetadata::getName).sorted().toList();
    }

    private static byte[] inServerStore(String name) throws IOException {
        Blob blob = blobs.getBlob(BUCKET, name);
        assertThat(blob).as("object %s in S3Proxy's store", name).isNotNull();
        try (InputStream in = blob.getPayload().openStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void aCommittedObjectIsInTheBucketByteForByteWithItsChecksum() throws Exception {
        S3Storage storage = storage("archive/", ObjectChecksum.CRC32C);
        byte[] content = bytes(600_000, 1);
        StoredObject stored = write(storage, "1.2.3.4.5", content);

        assertThat(stored.key()).isEqualTo("1.2.3/1.2.3.4/1.2.3.4.5.dcm");
        assertThat(stored.storageId()).isEqualTo("s3");
        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(stored.checksumAlgorithm()).isEqualTo(ObjectChecksum.CRC32C);
        assertThat(stored.checksum()).isEqualTo(checksum("CRC32C", content));
        assertThat(namesInBucket()).containsExactly("archive/1.2.3/1.2.3.4/1.2.3.4.5.dcm");
        assertThat(inServerStore("archive/1.2.3/1.2.3.4/1.2.3.4.5.dcm")).isEqualTo(content);
        assertThat(blobs.getBlob(BUCKET, "archive/1.2.3/1.2.3.4/1.2.3.4.5.dcm").getMetadata().getContentMetadata()
                .getContentType()).isEqualTo("application/dicom");
        try (InputStream in = storage.open(stored.key())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(storage.exists(stored.key())).isTrue();
        assertThat(spool).isEmptyDirectory();
    }

    @Test
    void nothingIsVisibleBeforeCommitAndNothingRemainsOfAnAbandonedObject() throws Exception {
        S3Storage storage = storage("", ObjectChecksum.CRC32C);
        try (ObjectWriter writer = storage.create(object("1.2.3.4.6"), -1)) {
            writer.stream().write(bytes(300_000, 2));
            Optional<StoredObject> finished = writer.finish();
            assertThat(finished).isPresent();
            assertThat(finished.get().size()).isEqualTo(300_000);
            assertThatThrownBy(() -> writer.stream().write(1)).hasMessageContaining("finished");
            assertThat(storage.exists(finished.get().key())).isFalse();
            assertThat(namesInBucket()).isEmpty();
        }
        assertThat(namesInBucket()).isEmpty();
        assertThat(spool).isEmptyDirectory();
    }

    @Test
    void aPrefixGetsItsSlashAndMayNotStartWithOne() throws Exception {
        StoredObject stored = write(storage("archive", ObjectChecksum.CRC32C), "1.2.3.4.15", bytes(10, 12));
        assertThat(namesInBucket()).containsExactly("archive/" + stored.key());
        assertThatThrownBy(() -> storage("/archive/", ObjectChecksum.CRC32C)).hasMessageContaining("must not start with '/'");
    }

    @Test
    void aPutReplacesTheObjectUnderTheSameKey() throws Exception {
        S3Storage storage = storage("", ObjectChecksum.CRC32C);
        write(storage, "1.2.3.4.7", bytes(1000, 3));
        byte[] second = bytes(2000, 4);
        StoredObject stored = write(storage, "1.2.3.4.7", second);
        assertThat(inServerStore(stored.key())).isEqualTo(second);
    }

    @Test
    void aDigestCanBeRecordedInsteadOfCrc32c() throws Exception {
        byte[] content = bytes(70_000, 5);
        StoredObject stored = write(storage("", "SHA-256"), "1.2.3.4.8", content);
        assertThat(stored.checksumAlgorithm()).isEqualTo("SHA-256");
        assertThat(stored.checksum()).isEqualTo(checksum("SHA-256", content));
        assertThat(inServerStore(stored.key())).isEqualTo(content);
    }

    @Test
    void aLargeObjectGoesInPartsAndAppearsWhole() throws Exception {
        S3Storage storage = new S3Storage("s3", client, BUCKET, "big/", "{sop}.dcm", ObjectChecksum.CRC32C, spool, 0,
                new S3Storage.Uploads(6 * 1024 * 1024, 5 * 1024 * 1024));
        byte[] content = bytes(12 * 1024 * 1024 + 17, 11); // three parts: 5 MB, 5 MB and the rest
        StoredObject stored = write(storage, "1.2.3.4.14", content);
        assertThat(namesInBucket()).containsExactly("big/1.2.3.4.14.dcm");
        assertThat(inServerStore("big/1.2.3.4.14.dcm")).isEqualTo(content);
        assertThat(stored.checksum()).isEqualTo(checksum("CRC32C", content));
        assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).as("uploads left open").isEmpty();
        // S3's ETag of a multipart object ends in the number of its parts
        assertThat(client.headObject(b -> b.bucket(BUCKET).key("big/1.2.3.4.14.dcm")).eTag()).endsWith("-3\"");
        assertThat(spool).isEmptyDirectory();
    }

    @Test
    void multipartSettingsOutsideS3sLimitsAreRefused() {
        assertThatThrownBy(() -> new S3Storage.Uploads(100 * 1024 * 1024, 1024 * 1024)).hasMessageContaining("at least 5 MB");
        assertThatThrownBy(() -> new S3Storage.Uploads(6L * 1024 * 1024 * 1024, 16 * 1024 * 1024))
                .hasMessageContaining("5 GB");
    }

    @Test
    void theChannelReadsAnyRangeAndFollowsSeeks() throws Exception {
        S3Storage storage = storage("p/", ObjectChecksum.CRC32C);
        byte[] content = bytes(1_000_000, 6);
        StoredObject stored = write(storage, "1.2.3.4.9", content);
        try (SeekableByteChannel channel = storage.openChannel(stored.key())) {
            assertThat(channel.size()).isEqualTo(content.length);
            for (long offset : new long[] {500_000, 0, 999_000, 123_457, 123_457 + 4096}) {
                channel.position(offset);
                ByteBuffer buffer = offset % 2 == 0 ? ByteBuffer.allocate(4096) : ByteBuffer.allocateDirect(4096);
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                    // a read may return fewer bytes than asked
                }
                buffer.flip();
                byte[] got = new byte[buffer.remaining()];
                buffer.get(got);
                int end = (int) Math.min(content.length, offset + 4096);
                assertThat(got).as("bytes at %d", offset).isEqualTo(Arrays.copyOfRange(content, (int) offset, end));
            }
            channel.position(content.length);
            assertThat(channel.read(ByteBuffer.allocate(10))).isEqualTo(-1);
        }
    }

    @Test
    void missingObjectsAreNoSuchFileAndDeletingOneIsNoError() throws Exception {
        S3Storage storage = storage("", ObjectChecksum.CRC32C);
        assertThatThrownBy(() -> storage.open("9/9/9.dcm")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("s3://" + BUCKET + "/9/9/9.dcm");
        assertThatThrownBy(() -> storage.openChannel("9/9/9.dcm")).isInstanceOf(NoSuchFileException.class);
        assertThat(storage.exists("9/9/9.dcm")).isFalse();
        storage.delete("9/9/9.dcm");

        StoredObject stored = write(storage, "1.2.3.4.10", bytes(10, 7));
        storage.delete(stored.key());
        assertThat(storage.exists(stored.key())).isFalse();
        assertThat(namesInBucket()).isEmpty();
    }

    @Test
    void bytesDamagedAfterTheChecksumAreRefusedByTheStore() throws Exception {
        // the spooled copy changes after finish(): the CRC32C sent with the PUT no longer matches
        S3Storage storage = storage("", ObjectChecksum.CRC32C);
        try (ObjectWriter writer = storage.create(object("1.2.3.4.13"), -1)) {
            writer.stream().write(bytes(5000, 8));
            writer.finish();
            try (Stream<Path> spooled = Files.list(spool)) {
                Path file = spooled.findFirst().orElseThrow();
                byte[] damaged = Files.readAllBytes(file);
                damaged[1234] ^= 0x01;
                Files.write(file, damaged);
            }
            assertThatThrownBy(writer::commit).isInstanceOf(StorageException.class)
                    .hasMessageContaining("cannot store s3://" + BUCKET + "/1.2.3/1.2.3.4/1.2.3.4.13.dcm");
        }
        assertThat(namesInBucket()).isEmpty();
    }

    @Test
    void anUnreachableStoreFailsTheCommitWithTheReasonAndKeepsNothing() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (S3Client unreachable = S3StorageComponent.client("http://127.0.0.1:" + closed, "us-east-1", true, "access",
                "secret", Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            S3Storage storage = new S3Storage("s3", unreachable, BUCKET, "", "{sop}.dcm", ObjectChecksum.CRC32C, spool, 0, S3Storage.Uploads.DEFAULT);
            assertThatThrownBy(storage::checkBucket).isInstanceOf(StorageException.class)
                    .hasMessageContaining("cannot reach the object store");
            try (ObjectWriter writer = storage.create(object("1.2.3.4.11"), 100)) {
                writer.stream().write(bytes(100, 9));
                assertThatThrownBy(writer::commit).isInstanceOf(StorageException.class)
                        .hasMessageContaining("cannot store s3://" + BUCKET + "/1.2.3.4.11.dcm");
            }
            assertThat(spool).isEmptyDirectory();
        }
    }

    @Test
    void aMissingBucketOrWrongCredentialsAreNamed() throws Exception {
        assertThatThrownBy(() -> new S3Storage("s3", client, "no-such-bucket", "", "{sop}.dcm", "CRC32C", spool, 0, S3Storage.Uploads.DEFAULT)
                .checkBucket()).isInstanceOf(StorageException.class).hasMessageContaining("does not exist");
        try (S3Client wrong = S3StorageComponent.client(endpoint(), "us-east-1", true, "access", "not-the-secret",
                Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> new S3Storage("s3", wrong, BUCKET, "", "{sop}.dcm", "CRC32C", spool, 0, S3Storage.Uploads.DEFAULT).checkBucket())
                    .isInstanceOf(StorageException.class).hasMessageContaining("refuses these credentials");
        }
        assertThatThrownBy(() -> new S3Storage("s3", client, "", "", "{sop}.dcm", "CRC32C", spool, 0, S3Storage.Uploads.DEFAULT))
                .hasMessageContaining("no bucket configured");
        assertThatThrownBy(() -> new S3Storage("s3", client, BUCKET, "", "{sop}.dcm", "NO-SUCH", spool, 0, S3Storage.Uploads.DEFAULT))
                .hasMessageContaining("unknown checksum algorithm");
    }

    @Test
    void aFullSpoolRefusesNewObjectsAsStorageFull() throws Exception {
        S3Storage storage = new S3Storage("s3", client, BUCKET, "", "{sop}.dcm", "CRC32C", spool, Long.MAX_VALUE / 2, S3Storage.Uploads.DEFAULT);
        assertThatThrownBy(() -> storage.create(object("1.2.3.4.12"), 1000)).isInstanceOf(StorageFullException.class)
                .hasMessageContaining("spool folder");
    }

    @Test
    void spooledObjectsLeftByACrashAreRemovedAtStart() throws Exception {
        Path leftover = Files.createFile(spool.resolve("put-123.part"));
        try (OutputStream out = Files.newOutputStream(leftover)) {
            out.write(bytes(100, 10));
        }
        storage("", "CRC32C");
        assertThat(leftover).doesNotExist();
    }
}
