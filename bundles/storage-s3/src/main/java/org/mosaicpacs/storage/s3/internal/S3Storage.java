package org.mosaicpacs.storage.s3.internal;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
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
import software.amazon.awssdk.services.s3.model.CompletedPart;
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
 * object under the same key. Objects above a threshold go in a multipart upload instead, which
 * becomes visible only when completed.
 *
 * <p>Keys recorded in the index are the layout's paths; the configured prefix is put in front of
 * them only in the bucket, like the filesystem backend's root (so changing it strands the objects
 * stored before).
 */
final class S3Storage {

    private static final long MB = 1024 * 1024;
    /** S3's limits: the smallest part of a multipart upload but its last, and the most parts. */
    private static final long MIN_PART = 5 * MB;
    private static final int MAX_PARTS = 10_000;
    private static final String CONTENT_TYPE = "application/dicom";

    /**
     * How objects travel: one PUT up to {@code multipartThreshold} bytes, above it a multipart
     * upload in parts of {@code partSize} (larger if the object would need more than 10 000 parts).
     */
    record Uploads(long multipartThreshold, long partSize) {

        static final Uploads DEFAULT = new Uploads(100 * MB, 16 * MB);

        Uploads {
            if (partSize < MIN_PART) {
                throw new IllegalArgumentException("multipart part size must be at least 5 MB (S3's minimum): " + partSize);
            }
            if (multipartThreshold < partSize || multipartThreshold > 5 * 1024 * MB) {
                throw new IllegalArgumentException("multipart threshold must lie between the part size and 5 GB "
                        + "(the most one PUT carries): " + multipartThreshold);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);

    private final String id;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final PathLayout layout;
    private final String checksumAlgorithm;
    private final Path spool;
    private final long spoolReserve;
    private final Uploads uploads;

    /**
     * @param prefix       put in front of every key in the bucket, e.g. {@code mosaic/} (a missing final '/' is added)
     * @param spool        folder for objects on their way to the bucket
     * @param spoolReserve free bytes the spool's file system keeps; a new object that would take them is refused
     */
    S3Storage(String id, S3Client s3, String bucket, String prefix, String pathPattern, String checksumAlgorithm,
              Path spool, long spoolReserve, Uploads uploads) throws IOException {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3 storage '" + id + "': no bucket configured");
        }
        ObjectChecksum.start(checksumAlgorithm); // an unknown algorithm fails here, not at the first object
        this.id = id;
        this.s3 = s3;
        this.bucket = bucket;
        String p = prefix == null ? "" : prefix;
        if (p.startsWith("/")) {
            throw new IllegalArgumentException("S3 storage '" + id + "': the key prefix must not start with '/': " + p);
        }
        this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
        this.layout = new PathLayout(pathPattern);
        this.checksumAlgorithm = checksumAlgorithm;
        this.spool = spool;
        this.spoolReserve = spoolReserve;
        this.uploads = uploads;
        Files.createDirectories(spool);
        removeLeftovers();
    }

    String id() {
        return id;
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
            try {
                if (object.size() > uploads.multipartThreshold()) {
                    putInParts(object.size());
                } else {
                    PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(objectName(key))
                            .contentLength(object.size()).contentType(CONTENT_TYPE);
                    if (ObjectChecksum.CRC32C.equals(object.checksumAlgorithm())) {
                        // the store checks the bytes it received against ours and refuses the PUT if they differ
                        put.checksumCRC32C(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(object.checksum())));
                    }
                    s3.putObject(put.build(), RequestBody.fromFile(file));
                }
            } catch (SdkException e) {
                throw failure("store", key, e);
            }
            committed = true;
            Files.deleteIfExists(file);
            return object;
        }

        /**
         * A multipart upload of the spooled file (S3 API CreateMultipartUpload, UploadPart,
         * CompleteMultipartUpload): the object appears only when completed; a failure aborts the
         * upload, so its parts do not linger in the bucket.
         */
        private void putInParts(long size) throws IOException {
            String name = objectName(key);
            long partSize = Math.max(uploads.partSize(), (size + MAX_PARTS - 1) / MAX_PARTS);
            String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(name).contentType(CONTENT_TYPE)).uploadId();
            try {
                List<CompletedPart> parts = new ArrayList<>();
                for (long from = 0; from < size; from += partSize) {
                    long offset = from;
                    long length = Math.min(partSize, size - from);
                    int number = parts.size() + 1;
                    // a provider, not a stream: the SDK asks again for the bytes when it retries a part
                    String eTag = s3.uploadPart(b -> b.bucket(bucket).key(name).uploadId(uploadId).partNumber(number)
                            .contentLength(length), RequestBody.fromContentProvider(() -> part(offset, length), length,
                            CONTENT_TYPE)).eTag();
                    parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
                }
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            } catch (SdkException | UncheckedIOException e) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId));
                } catch (SdkException abort) {
                    e.addSuppressed(abort);
                }
                if (e instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                throw e;
            }
        }

        /** {@code length} bytes of the spooled file from {@code offset}. */
        private InputStream part(long offset, long length) {
            try {
                InputStream in = Files.newInputStream(file);
                in.skipNBytes(offset);
                return new FilterInputStream(in) {
                    private long left = length;

                    @Override
                    public int read() throws IOException {
                        if (left <= 0) {
                            return -1;
                        }
                        int b = in.read();
                        left -= b < 0 ? 0 : 1;
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = in.read(b, off, (int) Math.min(len, left));
                        left -= Math.max(n, 0);
                        return n;
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spooled " + file, e);
            }
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
