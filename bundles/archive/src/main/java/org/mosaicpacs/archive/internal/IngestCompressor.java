package org.mosaicpacs.archive.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.transcode.Frame;
import org.mosaicpacs.api.transcode.FrameReader;
import org.mosaicpacs.api.transcode.LossyPolicy;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.TranscodeResult;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.api.transcode.Transcoding;
import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UidRegistry;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.support.io.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compress-on-ingest policy at work: decides whether a received object is stored in the
 * configured compressed syntax, and produces that form through the {@link Transcoder}.
 *
 * <p>Whatever goes wrong here (no transcoder or codec, an image the codec does not take, a
 * malformed Pixel Data, a failed verification, no saving), the object is stored exactly as it was
 * received: the policy may only ever save space, never lose or change an image. The SOP Instance
 * UID never changes, so a Storage Commitment request for it still finds it.
 *
 * <p>Thread-safe: one instance serves every ingest; the transcoder is taken once per object.
 */
final class IngestCompressor {

    private static final Logger LOG = LoggerFactory.getLogger(IngestCompressor.class);
    /** Distinct "cannot compress" messages logged at WARN; the rest only at DEBUG. */
    private static final int MAX_WARNED = 32;

    /** Writes the File Meta Information of the object to store, for the transfer syntax it is stored in. */
    @FunctionalInterface
    interface MetaInformation {
        void write(OutputStream out, String transferSyntaxUid) throws IOException;
    }

    /** The compressed form of an object: its bytes (Part 10), syntax and data set without bulk data. */
    record Compressed(Spool bytes, String transferSyntaxUid, DataSet header, TranscodeResult result)
            implements Closeable {
        @Override
        public void close() throws IOException {
            bytes.close();
        }
    }

    private final CompressionPolicy policy;
    private final Supplier<Transcoder> transcoder;
    private final int spoolMemoryLimit;
    private final Path spoolDirectory;
    private final AtomicBoolean warnedNoTranscoder = new AtomicBoolean();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param transcoder       the transcoder registered now, or null while none is
     * @param spoolMemoryLimit bytes of each spooled object kept in memory
     * @param spoolDirectory   where larger objects are spooled
     */
    IngestCompressor(CompressionPolicy policy, Supplier<Transcoder> transcoder, int spoolMemoryLimit,
                     Path spoolDirectory) {
        this.policy = policy;
        this.transcoder = transcoder;
        this.spoolMemoryLimit = spoolMemoryLimit;
        this.spoolDirectory = spoolDirectory;
    }

    /** A spool for an object that {@link #transcoderFor} chose. */
    Spool newSpool() {
        return new Spool(spoolMemoryLimit, spoolDirectory, "mosaic-ingest-");
    }

    /**
     * Decides on the identification part whether the object is a candidate: the policy is on,
     * its Modality matches, it is not already encapsulated and a transcoder is registered. A
     * candidate is spooled until it is complete; anything else streams straight to storage.
     *
     * @return the transcoder to finish the object with, or null to store it as received
     */
    Transcoder transcoderFor(DataSet header, TransferSyntax received) {
        if (!policy.enabled()) {
            return null;
        }
        if (received.encapsulated()) {
            LOG.debug("Stored as received: already in the compressed syntax {}", received.name());
            return null;
        }
        if (!policy.appliesTo(header.getString(Tag.Modality))) {
            LOG.debug("Stored as received: modality {} is not compressed on ingest", header.getString(Tag.Modality));
            return null;
        }
        Transcoder t = transcoder.get();
        if (t == null) {
            if (warnedNoTranscoder.compareAndSet(false, true)) {
                LOG.warn("Compress on ingest: no Transcoder service is running (feature mosaic-transcoder); objects "
                        + "are stored as received until one is");
            }
            return null;
        }
        warnedNoTranscoder.set(false);
        return t;
    }

    /**
     * Compresses a complete received object, or says why not by returning null (and logging it).
     *
     * @param received  the object as it would be stored: File Meta Information and the data set
     * @param header    its data set, bulk values as references, as parsed while it was received
     * @param ts        the syntax it was received in
     * @param meta      writes File Meta Information for the compressed form
     * @param what      names the object in logs without patient data (SOP class, sender)
     * @return the compressed form, which the caller closes; null to store {@code received}
     */
    Compressed compress(Transcoder t, Spool received, DataSet header, TransferSyntax ts, MetaInformation meta,
                        String what) {
        String target = policy.targetTransferSyntaxUid();
        String sop = header.getString(Tag.SOPInstanceUID);
        long pixelBytes = nativePixelDataLength(header);
        if (pixelBytes < 0) {
            LOG.debug("{} stored as received: no Pixel Data", sop);
            return null;
        }
        if (pixelBytes < policy.minimumPixelDataBytes()) {
            LOG.debug("{} stored as received: Pixel Data of {} bytes is below the minimum", sop, pixelBytes);
            return null;
        }
        long surplus = pixelBytes - framesLength(header);
        if (surplus > 1) {
            // Bytes beyond the last frame belong to no frame, so no codec would keep them (PS3.5 8.1.1 allows one pad byte).
            LOG.debug("{} stored as received: Pixel Data holds {} bytes more than its frames", sop, surplus);
            return null;
        }
        long start = System.nanoTime();
        Spool out = newSpool();
        boolean keep = false;
        try {
            meta.write(out.stream(), target);
            TranscodeResult result;
            try (InputStream in = received.openStream()) {
                result = t.transcode(in, out.stream(), TranscodeRequest.to(target).withPart10(false)
                        .withLossyPolicy(policy.allowLossy() ? LossyPolicy.KEEP_SOP_INSTANCE_UID : LossyPolicy.REFUSE));
            }
            String refusal = refusal(result, received, out);
            if (refusal == null && policy.verify() && !result.lossy()) {
                refusal = differenceAfterDecoding(t, received, out);
                if (refusal != null) {
                    // Bits above Bits Stored that a codec does not keep, or a codec fault: either way not bit-exact.
                    LOG.warn("Compress on ingest: {} stored as received: its {} copy {}", what, name(target), refusal);
                    LOG.debug("{} stored as received: {}", sop, refusal);
                    return null;
                }
            }
            if (refusal != null) {
                LOG.debug("{} stored as received: {}", sop, refusal);
                return null;
            }
            DataSet stored = readHeader(out);
            keep = true;
            LOG.debug("{} stored as {}: {} -> {} bytes in {} ms", sop, name(target), received.size(), out.size(),
                    (System.nanoTime() - start) / 1_000_000);
            return new Compressed(out, target, stored, result);
        } catch (TranscodeException e) {
            String reason = e.reason() + ": " + e.getMessage();
            if (e.reason() == TranscodeException.Reason.UNSUPPORTED) {
                // Expected for images no installed codec takes (bit depth, colour model): once per message.
                warnOnce("Compress on ingest: images are stored as received when {}", e.getMessage());
            } else {
                LOG.warn("Compress on ingest: {} stored as received in {}: {}", what, ts.name(), reason);
            }
            LOG.debug("{} stored as received: {}", sop, reason);
            return null;
        } catch (IOException | RuntimeException e) {
            // The received object is intact in its spool: a failure here only costs the saving.
            LOG.warn("Compress on ingest: {} stored as received in {}: the conversion failed: {}", what, ts.name(),
                    e.toString(), e);
            return null;
        } finally {
            if (!keep) {
                closeQuietly(out);
            }
        }
    }

    /** Why a successful conversion must not be stored, or null if it may be. */
    private String refusal(TranscodeResult result, Spool received, Spool compressed) {
        if (result.sopInstanceUidChanged()) {
            return "the conversion changed the SOP Instance UID";
        }
        if (result.lossy() && !policy.allowLossy()) {
            return "the conversion was lossy";
        }
        if (!result.pixelDataConverted()) {
            return "the Pixel Data was not converted";
        }
        if (compressed.size() >= received.size()) {
            return "the " + name(policy.targetTransferSyntaxUid()) + " copy (" + compressed.size()
                    + " bytes) is not smaller than the received object (" + received.size() + " bytes)";
        }
        return null;
    }

    /**
     * Decodes every frame of both forms and compares the pixels: null if they are identical,
     * otherwise what differs. Frames are read one at a time (memory: two frames).
     */
    private static String differenceAfterDecoding(Transcoder t, Spool received, Spool compressed)
            throws TranscodeException, IOException {
        try (SeekableByteChannel a = received.openChannel(); SeekableByteChannel b = compressed.openChannel();
             FrameReader original = t.openFrames(a); FrameReader copy = t.openFrames(b)) {
            if (original.numberOfFrames() != copy.numberOfFrames()) {
                return "has " + copy.numberOfFrames() + " frames instead of " + original.numberOfFrames();
            }
            for (int i = 1; i <= original.numberOfFrames(); i++) {
                Frame x = original.decode(i);
                Frame y = copy.decode(i);
                if (!sameImage(x.image(), y.image())) {
                    return "decodes frame " + i + " as " + y.image() + " instead of " + x.image();
                }
                if (!Arrays.equals(interleaved(x), interleaved(y))) {
                    return "decodes frame " + i + " to other pixel values";
                }
            }
        }
        return null;
    }

    /** The same pixels can differ only in Planar Configuration (e.g. RLE stores colour by plane). */
    private static boolean sameImage(ImageDescriptor a, ImageDescriptor b) {
        return a.withPlanarConfiguration(0).equals(b.withPlanarConfiguration(0));
    }

    /** A frame's samples colour-by-pixel (Planar Configuration 0, PS3.3 C.7.6.3.1.3). */
    private static byte[] interleaved(Frame frame) {
        ImageDescriptor image = frame.image();
        int samples = image.samplesPerPixel();
        if (samples == 1 || image.planarConfiguration() == 0 || image.bitsAllocated() < 8) {
            return frame.data();
        }
        byte[] planes = frame.data();
        int bytes = image.bitsAllocated() / 8;
        int pixels = image.rows() * image.columns();
        int plane = pixels * bytes;
        byte[] out = new byte[planes.length];
        for (int p = 0; p < pixels; p++) {
            for (int s = 0; s < samples; s++) {
                System.arraycopy(planes, s * plane + p * bytes, out, (p * samples + s) * bytes, bytes);
            }
        }
        return out;
    }

    /** The compressed object's data set as the index must record it (its Image Pixel attributes may differ). */
    private static DataSet readHeader(Spool compressed) throws IOException {
        DataSet header = new DataSet();
        try (InputStream in = compressed.openStream(); DicomReader reader = DicomReader.open(in, Ingest.readOptions())) {
            reader.readInto(header, StopCondition.NEVER);
        }
        return header;
    }

    /**
     * Bytes the frames of native Pixel Data take as the Image Pixel Module and Number of Frames
     * describe them (PS3.5 8.1.1: 1-bit frames are packed without gaps); Long.MAX_VALUE if they
     * describe no image, so that the transcoder decides.
     */
    private static long framesLength(DataSet header) {
        ImageDescriptor image;
        int frames;
        try {
            image = Transcoding.imageDescriptor(header).orElse(null);
            frames = header.getInt(Tag.NumberOfFrames, 1);
        } catch (IllegalArgumentException e) { // also a Number of Frames that is not a number
            return Long.MAX_VALUE;
        }
        if (image == null || frames < 1) {
            return Long.MAX_VALUE;
        }
        long samples = (long) image.rows() * image.columns() * image.samplesPerPixel() * frames;
        return image.bitsAllocated() == 1 ? (samples + 7) / 8 : samples * (image.bitsAllocated() / 8);
    }

    /** Length of native Pixel Data (7FE0,0010) at the top level, or -1 if there is none. */
    private static long nativePixelDataLength(DataSet header) {
        Object value = header.getValue(Tag.PixelData);
        if (value instanceof BulkData bulk && bulk.hasLength()) {
            return bulk.length();
        }
        if (value instanceof byte[] bytes) {
            return bytes.length;
        }
        return -1;
    }

    private void warnOnce(String format, String message) {
        if (warned.size() < MAX_WARNED && warned.add(message)) {
            LOG.warn(format + " (logged once; each object at DEBUG)", message);
        }
    }

    private static String name(String uid) {
        return UidRegistry.nameOf(uid);
    }

    private static void closeQuietly(Spool spool) {
        try {
            spool.close();
        } catch (IOException e) {
            LOG.debug("Could not delete a spool file: {}", e.toString());
        }
    }
}
