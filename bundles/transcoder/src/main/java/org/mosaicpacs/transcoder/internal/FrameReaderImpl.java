package org.mosaicpacs.transcoder.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

import org.mosaicpacs.api.codec.CodecRegistry;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.transcode.Frame;
import org.mosaicpacs.api.transcode.FrameReader;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeException.Reason;
import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomReader.Event;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.StopCondition;

/**
 * Random access to the frames of one instance in a {@link SeekableByteChannel}. At open it reads
 * the data set before Pixel Data and, for encapsulated Pixel Data, walks the item headers (8 bytes
 * each, values skipped by seeking) to know where every frame's fragments are; a native frame is
 * found by arithmetic. Each frame is then read at its offset. Deflated data sets cannot be
 * addressed by offset: their frames are reached by inflating from the start again.
 */
final class FrameReaderImpl implements FrameReader {

    /** The URI of bulk data references in {@link #header()}: offsets are positions in the channel. */
    static final URI CHANNEL = URI.create("urn:mosaic:instance-channel");

    /** More offsets than this in a Basic Offset Table (4 bytes each) means it is not one. */
    private static final int MAX_OFFSET_TABLE = 64 << 20;

    private final SeekableByteChannel channel;
    private final DataSet header;
    private final TransferSyntax transferSyntax;
    private final ImageDescriptor image;
    private final int frames;
    private final FrameCodecs codecs;

    // native Pixel Data
    private long pixelDataPosition;
    private int swapUnit = 1;

    // encapsulated Pixel Data: fragment i of the frames is at fragmentPositions[i] (value) with fragmentLengths[i];
    // frame n (from 0) has fragments frameStarts[n] .. frameStarts[n + 1] - 1
    private long[] fragmentPositions;
    private long[] fragmentLengths;
    private int[] frameStarts;

    private FrameReaderImpl(SeekableByteChannel channel, DataSet header, TransferSyntax transferSyntax,
                            ImageDescriptor image, int frames, CodecRegistry registry) {
        this.channel = channel;
        this.header = header;
        this.transferSyntax = transferSyntax;
        this.image = image;
        this.frames = frames;
        this.codecs = new FrameCodecs(registry, transferSyntax.uid(), image);
    }

    static FrameReader open(SeekableByteChannel channel, CodecRegistry registry) throws TranscodeException, IOException {
        try {
            channel.position(0);
            DicomReader reader = DicomReader.open(new ChannelInputStream(channel),
                    ReadOptions.defaults().withSourceUri(CHANNEL));
            DataSet header = reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
            if (reader.event() == Event.END || reader.tag() != Tag.PixelData) {
                throw new TranscodeException(Reason.NOT_AN_IMAGE, "the instance has no Pixel Data");
            }
            FrameReaderImpl frames = new FrameReaderImpl(channel, header.freeze(), reader.transferSyntax(),
                    PixelModule.stated(header), PixelModule.numberOfFrames(header), registry);
            Event e = reader.next();
            if (e == Event.FRAGMENTS_START) {
                frames.indexFragments(reader.valuePosition());
            } else {
                frames.locateNative(reader);
            }
            return frames;
        } catch (DicomParseException | EOFException e) {
            throw new TranscodeException(Reason.MALFORMED, 0, "the instance cannot be read: " + e.getMessage(), e);
        }
    }

    private void locateNative(DicomReader reader) throws TranscodeException {
        if (transferSyntax.encapsulated()) {
            throw new TranscodeException(Reason.MALFORMED, "native Pixel Data in " + FrameCodecs.name(transferSyntax.uid()));
        }
        long needed = NativeLayout.pixelDataLength(image, frames);
        if (reader.length() < needed) {
            throw new TranscodeException(Reason.MALFORMED, "Pixel Data has " + reader.length() + " bytes, but " + frames
                    + " frame(s) of " + FrameCodecs.describe(image) + " need " + needed);
        }
        if (NativeLayout.frameLength(image) > Integer.MAX_VALUE - 8) {
            throw new TranscodeException(Reason.UNSUPPORTED, "a native frame of " + NativeLayout.frameLength(image)
                    + " bytes is too large");
        }
        pixelDataPosition = reader.valuePosition();
        swapUnit = reader.bigEndian() ? reader.vr().swapUnit() : 1;
    }

    /** Walks the items of encapsulated Pixel Data from {@code position} (PS3.5 A.4) and assigns them to frames. */
    private void indexFragments(long position) throws TranscodeException, IOException {
        if (!transferSyntax.encapsulated()) {
            throw new TranscodeException(Reason.MALFORMED, "encapsulated Pixel Data in "
                    + FrameCodecs.name(transferSyntax.uid()));
        }
        long size = channel.size();
        long[] positions = new long[Math.max(16, frames)];
        long[] lengths = new long[positions.length];
        int count = -1; // the Basic Offset Table is item -1
        byte[] basicOffsetTable = new byte[0];
        long firstItem = -1;
        long at = position;
        while (true) {
            byte[] item = ChannelInputStream.readAt(channel, at, 8);
            int tag = (item[1] & 0xFF) << 24 | (item[0] & 0xFF) << 16 | (item[3] & 0xFF) << 8 | item[2] & 0xFF;
            long length = (item[4] & 0xFFL) | (item[5] & 0xFFL) << 8 | (item[6] & 0xFFL) << 16 | (item[7] & 0xFFL) << 24;
            if (tag == 0xFFFEE0DD) {
                break;
            }
            if (tag != 0xFFFEE000 || length == 0xFFFFFFFFL || at + 8 + length > size) {
                throw new TranscodeException(Reason.MALFORMED, "encapsulated Pixel Data: no valid item at offset " + at);
            }
            if (count < 0) {
                if (length > MAX_OFFSET_TABLE) {
                    throw new TranscodeException(Reason.MALFORMED, "a Basic Offset Table of " + length + " bytes");
                }
                basicOffsetTable = ChannelInputStream.readAt(channel, at + 8, (int) length);
            } else {
                if (firstItem < 0) {
                    firstItem = at;
                }
                if (count == positions.length) {
                    positions = Arrays.copyOf(positions, 2 * count);
                    lengths = Arrays.copyOf(lengths, 2 * count);
                }
                positions[count] = at + 8;
                lengths[count] = length;
            }
            count++;
            at += 8 + length;
        }
        long[] offsets = PixelModule.offsets(bytesOf(header, Tag.ExtendedOffsetTable), 8);
        FrameSplitter splitter = new FrameSplitter(frames,
                offsets.length > 0 ? offsets : PixelModule.offsets(basicOffsetTable, 4));
        int[] starts = new int[frames + 1];
        int frame = 0;
        for (int i = 0; i < count; i++) {
            int headLength = (int) Math.min(12, lengths[i]);
            byte[] head = ChannelInputStream.readAt(channel, positions[i], headLength);
            if (splitter.startsFrame(positions[i] - 8 - firstItem, head, headLength)) {
                starts[frame++] = i;
            }
        }
        splitter.finish();
        starts[frames] = count;
        fragmentPositions = positions;
        fragmentLengths = lengths;
        frameStarts = starts;
    }

    /** An element's bytes, from memory or, for a value above the bulk data threshold, from the channel. */
    private byte[] bytesOf(DataSet ds, int tag) throws IOException {
        BulkData bulk = ds.getBulkData(tag);
        if (bulk != null) {
            if (bulk.length() > MAX_OFFSET_TABLE) {
                return null;
            }
            return ChannelInputStream.readAt(channel, bulk.offset(), (int) bulk.length());
        }
        return ds.getBytes(tag);
    }

    @Override
    public DataSet header() {
        return header;
    }

    @Override
    public String transferSyntaxUid() {
        return transferSyntax.uid();
    }

    @Override
    public ImageDescriptor image() {
        return image;
    }

    @Override
    public int numberOfFrames() {
        return frames;
    }

    @Override
    public Frame decode(int frameNumber) throws TranscodeException, IOException {
        try {
            return decodeFrame(frameNumber);
        } catch (RuntimeException e) {
            throw unexpected(frameNumber, e);
        }
    }

    @Override
    public Frame frame(int frameNumber, String transferSyntaxUid, EncodeOptions options)
            throws TranscodeException, IOException {
        try {
            return frameIn(frameNumber, transferSyntaxUid, options);
        } catch (RuntimeException e) {
            throw unexpected(frameNumber, e);
        }
    }

    private static TranscodeException unexpected(int frameNumber, RuntimeException e) {
        return new TranscodeException(Reason.MALFORMED, frameNumber, "frame " + frameNumber + " cannot be read: " + e, e);
    }

    private Frame decodeFrame(int frameNumber) throws TranscodeException, IOException {
        checkFrameNumber(frameNumber);
        if (fragmentPositions == null) {
            return new Frame(frameNumber, readNative(frameNumber), UID.ExplicitVRLittleEndian, image, false);
        }
        DecodedFrame decoded = codecs.decode(frameNumber, readFragments(frameNumber));
        int length = (int) NativeLayout.frameLength(decoded.image());
        byte[] pixels = decoded.pixels().length == length ? decoded.pixels() : Arrays.copyOf(decoded.pixels(), length);
        return new Frame(frameNumber, pixels, UID.ExplicitVRLittleEndian, decoded.image(), false);
    }

    private Frame frameIn(int frameNumber, String transferSyntaxUid, EncodeOptions options)
            throws TranscodeException, IOException {
        TransferSyntax wanted = TransferSyntax.of(transferSyntaxUid);
        if (!wanted.encapsulated()) {
            return decodeFrame(frameNumber);
        }
        checkFrameNumber(frameNumber);
        if (fragmentPositions != null && wanted.uid().equals(transferSyntax.uid())) {
            return new Frame(frameNumber, readFragments(frameNumber), wanted.uid(), image, false);
        }
        Frame pixels = decodeFrame(frameNumber);
        ImageDescriptor input = PixelModule.encoderInput(pixels.image());
        EncodedFrame encoded = codecs.encode(frameNumber, wanted.uid(), input,
                PixelModule.encoderInput(pixels.data(), pixels.image()), options);
        return new Frame(frameNumber, encoded.data(), wanted.uid(), encoded.image(), encoded.lossy());
    }

    private void checkFrameNumber(int frameNumber) throws TranscodeException {
        if (frameNumber < 1 || frameNumber > frames) {
            throw new TranscodeException(Reason.NOT_AN_IMAGE, frameNumber, "frame " + frameNumber
                    + " does not exist: the instance has " + frames + " frame(s)", null);
        }
    }

    /** The fragments of a frame, concatenated. */
    private byte[] readFragments(int frameNumber) throws TranscodeException, IOException {
        int first = frameStarts[frameNumber - 1];
        int end = frameStarts[frameNumber];
        long total = 0;
        for (int i = first; i < end; i++) {
            total += fragmentLengths[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new TranscodeException(Reason.UNSUPPORTED, frameNumber, "frame " + frameNumber + " is more than 2 GiB"
                    + " long", null);
        }
        byte[] frame = new byte[(int) total];
        int at = 0;
        for (int i = first; i < end; i++) {
            byte[] fragment = ChannelInputStream.readAt(channel, fragmentPositions[i], (int) fragmentLengths[i]);
            System.arraycopy(fragment, 0, frame, at, fragment.length);
            at += fragment.length;
        }
        return frame;
    }

    /** A native frame as little-endian bytes starting on a byte boundary. */
    private byte[] readNative(int frameNumber) throws TranscodeException, IOException {
        long bits = NativeLayout.frameBits(image);
        long firstBit = bits * (frameNumber - 1);
        int shift = (int) (firstBit % 8);
        int length = (int) ((shift + bits + 7) / 8);
        byte[] bytes;
        if (transferSyntax.deflated()) {
            bytes = readInflated(firstBit / 8, length);
        } else {
            bytes = ChannelInputStream.readAt(channel, pixelDataPosition + firstBit / 8, length);
        }
        NativeLayout.swap(bytes, bytes.length, swapUnit);
        return bits % 8 == 0 ? bytes : NativeLayout.alignBits(bytes, shift, bits);
    }

    /** Deflated data sets have no offsets to seek to: inflate from the start up to the frame. */
    private byte[] readInflated(long offset, int length) throws TranscodeException, IOException {
        try {
            channel.position(0);
            DicomReader reader = DicomReader.open(new ChannelInputStream(channel), ReadOptions.defaults());
            reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
            reader.next();
            InputStream value = reader.valueStream();
            value.skipNBytes(offset);
            byte[] bytes = value.readNBytes(length);
            if (bytes.length < length) {
                throw new EOFException("Pixel Data ends early");
            }
            return bytes;
        } catch (DicomParseException | EOFException e) {
            throw new TranscodeException(Reason.MALFORMED, 0, "the deflated instance cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // the channel belongs to the caller; the codecs are dropped with this object
    }
}
