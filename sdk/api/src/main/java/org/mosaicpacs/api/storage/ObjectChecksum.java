package org.mosaicpacs.api.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The checksum of one stored object, as a backend records it in {@link StoredObject} and as a
 * verifier (Storage Commitment, {@code mosaic:archive-verify}) recomputes it from the stored bytes.
 *
 * <p>The algorithm is {@value #CRC32C} or any {@link MessageDigest} algorithm of the runtime
 * ({@code SHA-256}, {@code SHA-1}, {@code MD5}). The checksum's text is lower-case hex: the digest's
 * bytes, or for CRC32C the 32-bit value big-endian (Castagnoli polynomial, RFC 3720 B.4; S3 shows
 * the same four bytes in base64).
 *
 * <p>CRC32C is for accidental corruption: it detects every burst of up to 32 flipped bits and misses
 * other damage (a truncated or mixed-up file) with a chance of 2^-32, and costs about a fortieth of
 * SHA-256 on CPUs with the CRC32 instruction. A digest such as SHA-256 is for sites that also want
 * evidence against deliberate change. One instance per object; not thread-safe.
 */
public final class ObjectChecksum {

    /** CRC-32C (Castagnoli): the integrity checksum of iSCSI and GCS, and one S3 offers. */
    public static final String CRC32C = "CRC32C";

    private final String algorithm;
    private final CRC32C crc;
    private final MessageDigest digest;

    private ObjectChecksum(String algorithm, CRC32C crc, MessageDigest digest) {
        this.algorithm = algorithm;
        this.crc = crc;
        this.digest = digest;
    }

    /**
     * A checksum at its start.
     *
     * @throws IllegalArgumentException if the runtime knows no such algorithm
     */
    public static ObjectChecksum start(String algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (CRC32C.equalsIgnoreCase(algorithm)) {
            return new ObjectChecksum(CRC32C, new CRC32C(), null);
        }
        try {
            return new ObjectChecksum(algorithm, null, MessageDigest.getInstance(algorithm));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown checksum algorithm " + algorithm
                    + " (use CRC32C, SHA-256, SHA-1 or MD5)", e);
        }
    }

    /** The checksum of everything {@code in} has left, read to its end; the stream is not closed. */
    public static Result of(String algorithm, InputStream in) throws IOException {
        ObjectChecksum checksum = start(algorithm);
        long size = in.transferTo(checksum.wrap(OutputStream.nullOutputStream()));
        return new Result(size, checksum.hex());
    }

    /** What {@link #of} read: the byte count and the checksum's hex text. */
    public record Result(long size, String hex) {
    }

    /** The algorithm's name as recorded: {@value #CRC32C} or the digest's name. */
    public String algorithm() {
        return algorithm;
    }

    public void update(byte[] bytes, int offset, int length) {
        if (crc != null) {
            crc.update(bytes, offset, length);
        } else {
            digest.update(bytes, offset, length);
        }
    }

    /** A stream that adds what passes through it to this checksum and writes it on to {@code out}. */
    public OutputStream wrap(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                if (crc != null) {
                    crc.update(b);
                } else {
                    digest.update((byte) b);
                }
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                update(b, off, len);
                out.write(b, off, len);
            }
        };
    }

    /** The checksum of everything added so far, as lower-case hex; ends this checksum. */
    public String hex() {
        if (crc != null) {
            return String.format("%08x", crc.getValue());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
