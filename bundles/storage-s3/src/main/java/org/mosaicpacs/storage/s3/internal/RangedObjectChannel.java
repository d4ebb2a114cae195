package org.mosaicpacs.storage.s3.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.support.io.ReadOnlyChannel;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Random read access to one object with ranged GETs (RFC 9110 14.2): a read at a position opens
 * one GET from there to the end and goes on reading it while reads follow each other; a jump
 * elsewhere abandons it and opens the next. A frame or a bulk data item thus costs one request,
 * not the whole object.
 */
final class RangedObjectChannel extends ReadOnlyChannel {

    private static final int CHUNK = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String name;
    private final String description;
    private ResponseInputStream<GetObjectResponse> current;
    private long currentPosition;

    RangedObjectChannel(S3Client s3, String bucket, String name, long size, String description) {
        super(size);
        this.s3 = s3;
        this.bucket = bucket;
        this.name = name;
        this.description = description;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (current == null || currentPosition != position) {
            abandon();
            try {
                current = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(name)
                        .range("bytes=" + position + "-").build());
            } catch (SdkException e) {
                throw new StorageException("cannot read " + description + " from byte " + position + ": " + e.getMessage(), e);
            }
            currentPosition = position;
        }
        int n;
        if (dst.hasArray()) {
            n = current.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
        } else {
            byte[] chunk = new byte[Math.min(dst.remaining(), CHUNK)];
            n = current.read(chunk);
            if (n > 0) {
                dst.put(chunk, 0, n);
            }
        }
        if (n < 0) {
            throw new StorageException(description + " ended at byte " + position + " of " + size
                    + ": changed or truncated while being read");
        }
        position += n;
        currentPosition += n;
        return n;
    }

    @Override
    protected void closed() {
        abandon();
    }

    /** Drops the running GET without reading the rest of it (closing would drain it to reuse the connection). */
    private void abandon() {
        if (current != null) {
            current.abort();
            current = null;
        }
    }
}
