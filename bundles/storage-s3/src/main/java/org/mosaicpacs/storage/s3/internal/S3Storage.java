package org.mosaicpacs.storage.s3.internal;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.mosaicpacs.api.storage.ObjectChecksum;
import org.mosaicpacs.api.storage.ObjectDescriptor;
import org.mosaicpacs.api.storage.ObjectWriter;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageFullException;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.support.storage.PathLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Objects in one bucket of an S3-compatible object store (AWS S3, MinIO, Ceph RGW, S3Proxy...).
 *
 * <p>A new object is spooled to a local file while it arrives (its size and checksum are then
 * known) and sent with one PUT when committed. S3 makes an object visible only once its PUT
 * succeeded and stores it durably before answering, so the backend's guarantees hold without a
 * temporary name: no reader sees part of an object, a failed or abandoned write leaves nothing in
 * the bucket, and a spool file left by a crash is removed at the next start. A PUT replaces an
 * object under the same key.
 *
 * <p>Keys recorded in the index are the layout's paths; the configured prefix is put in front of
 * them only in the bucket, like the filesystem backend's root (so changing it strands the objects
 * stored before).
 */
final class S3Storage {

    /** The largest object one PUT may carry (S3's limit); larger ones would need a multipart upload. */
    static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);

    private final String id;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final PathLayout layout;
    private final String checksumAlgorithm;
    private final Path spool;
    private final long spoolReserve;

    /**
     * @param prefix       put in front of every key in the bucket ("" or ending in '/', e.g. {@code mosaic/})
     * @param spool        folder for objects on their way to the bucket
     * @param spoolReserve free bytes the spool's file system keeps; a new object that would take them is refused
     */
    S3Storage(String id, S3Client s3, String bucket, String prefix, String pathPattern, String checksumAlgorithm,
              Path spool, long spoolReserve) throws IOException {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3 storage '" + id + "': no bucket configured");
        }
        ObjectChecksum.start(checksumAlgorithm); // an unknown algorithm fails here, not at the first object
        this.id = id;
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
        this.layout = new PathLayout(pathPattern);
        this.checksumAlgorithm = checksumAlgorithm;
        this.spool = spool;
        this.spoolReserve = spoolReserve;
        Files.createDirectories(spool);
        removeLeftovers();
    }

    String id() {
        return id;
    }

    String bucket() {
        return bucket;
    }

    /** The bucket's name for a key. */
    String objectName(String key) {
        return prefix + key;
    }

    /** Checks that the bucket exists and these credentials may use it; the exception says what is wrong. */
    void checkBucket() throws StorageException {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            throw new StorageException("S3 storage '" + id + "': bucket '" + bucket + "' "
                    + (e.statusCode() == 404 ? "does not exist" : e.statusCode() == 403 ? "refuses these credentials"
                    : "cannot be used") + " (HTTP " + e.statusCode() + ")", e);
        } catch (SdkException e) {
            throw new StorageException("S3 storage '" + id + "': cannot reach the object store: " + e.getMessage(), e);
        }
    }

    private void removeLeftovers() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(spool, "*.part")) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.warn("S3 storage {}: removed {} spooled object(s) left by an interrupted write in {}", id, removed, spool);
        }
    }

    ObjectWriter create(ObjectDescriptor object, long expectedSize) throws IOException {
        String key = layout.pathFor(object);
        long free = Files.getFileStore(spool).getUsableSpace();
        if (free - Math.max(expectedSize, 0) < spoolReserve) {
            throw new StorageFullException("S3 storage '" + id + "': the spool folder " + spool + " has " + free / (1024 * 1024)
                    + " MB free, below its reserve of " + spoolReserve / (1024 * 1024) + " MB");
        }
        return new Writer(key, Files.createTempFile(spool, "put-", ".part"));
    }

    InputStream open(String key) throws IOException {
        String name = objectName(key);
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(name).build());
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(describe(key), null, "no such object in the bucket");
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
    }

    SeekableByteChannel openChannel(String key) throws IOException {
        String name = objectName(key);
        HeadObjectResponse head = head(key).orElseThrow(
                () -> new NoSuchFileException(describe(key), null, "no such object in the bucket"));
        return new RangedObjectChannel(s3, bucket, name, head.contentLength(), describe(key));
    }

    boolean exists(String key) throws IOException {
        return head(key).isPresent();
    }

    private Optional<HeadObjectResponse> head(String key) throws IOException {
        try {
            return Optional.of(s3.headObject(h -> h.bucket(bucket).key(objectName(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) { // HEAD answers have no body, so some stores give no error code
                return Optional.empty();
            }
            throw failure("look up", key, e);
        } catch (SdkException e) {
            throw failure("look up", key, e);
        }
    }

    void delete(String key) throws IOException {
        try {
            s3.deleteObject(d -> d.bucket(bucket).key(objectName(key))); // S3 answers 204 for a missing key too
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    private String describe(String key) {
        return "s3://" + bucket + "/" + objectName(key);
    }

    private StorageException failure(String what, String key, SdkException e) {
        String status = e instanceof S3Exception s ? " (HTTP " + s.statusCode() + ")" : "";
        return new StorageException("S3 storage '" + id + "': cannot " + what + " " + describe(key) + status + ": "
                + e.getMessage(), e);
    }

    /** Spools one object, then sends it with one PUT on commit. */
    private final class Writer implements ObjectWriter {

        private final String key;
        private final Path file;
        private final ObjectChecksum checksum = ObjectChecksum.start(checksumAlgorithm);
        private final CountingStream stream;
        private StoredObject finished;
        private boolean committed;

        Writer(String key, Path file) throws IOException {
            this.key = key;
            this.file = file;
            this.stream = new CountingStream(checksum.wrap(new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024)));
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public Optional<StoredObject> finish() throws IOException {
            if (finished == null) {
                stream.close(); // the spool file needs no sync: the PUT, not the file, makes the object durable
                finished = new StoredObject(id, key, stream.count, checksum.algorithm(), checksum.hex());
            }
            return Optional.of(finished);
        }

        @Override
        public StoredObject commit() throws IOException {
            StoredObject object = finish().orElseThrow();
            if (committed) {
                return object;
            }
            if (object.size() > MAX_SINGLE_PUT) {
                throw new StorageException("S3 storage '" + id + "': " + describe(key) + " has " + object.size()
                        + " bytes, more than one PUT may carry (5 GiB); this backend has no multipart upload yet");
            }
            PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(objectName(key))
                    .contentLength(object.size()).contentType("application/dicom");
            if (ObjectChecksum.CRC32C.equals(object.checksumAlgorithm())) {
                // the store checks the bytes it received against ours and refuses the PUT if they differ
                put.checksumCRC32C(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(object.checksum())));
            }
            try {
                s3.putObject(put.build(), RequestBody.fromFile(file));
            } catch (SdkException e) {
                throw failure("store", key, e);
            }
            committed = true;
            Files.deleteIfExists(file);
            return object;
        }

        @Override
        public void close() throws IOException {
            try {
                stream.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;
        private boolean closed;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            open();
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            open();
            out.write(b, off, len);
            count += len;
        }

        private void open() throws IOException {
            if (closed) {
                throw new IOException("the object is finished: nothing more may be written");
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                super.close();
            }
        }
    }
}
