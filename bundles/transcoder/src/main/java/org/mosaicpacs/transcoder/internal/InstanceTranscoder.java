package org.mosaicpacs.transcoder.internal;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.mosaicpacs.api.codec.CodecRegistry;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.transcode.LossyPolicy;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeException.Reason;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.TranscodeResult;
import org.mosaicpacs.api.transcode.Transcoding;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomReader.Event;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.FileMetaInformation;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.dicom.io.WriteOptions;

/**
 * One {@link org.mosaicpacs.api.transcode.Transcoder#transcode} call: reads the data set up to
 * Pixel Data, converts the frames one at a time into a {@link FrameSpool}, fixes the data set
 * ({@link HeaderRules}) and only then writes the result; an instance whose Pixel Data needs no
 * conversion is streamed straight through.
 */
final class InstanceTranscoder {

    private static final int CHUNK = 64 * 1024;

    private final CodecRegistry registry;
    private final TranscoderSettings settings;
    private final TranscodeRequest request;
    private final TransferSyntax target;

    InstanceTranscoder(CodecRegistry registry, TranscoderSettings settings, TranscodeRequest request) {
        this.registry = registry;
        this.settings = settings;
        this.request = request;
        this.target = TransferSyntax.of(request.targetTransferSyntaxUid());
    }

    TranscodeResult transcode(InputStream sourceStream, OutputStream targetStream) throws TranscodeException, IOException {
        DicomReader reader;
        DataSet header;
        try {
            // The reader is never closed: the caller owns the source stream.
            reader = request.sourceTransferSyntaxUid() == null
                    ? DicomReader.open(sourceStream, ReadOptions.defaults())
                    : DicomReader.open(sourceStream, TransferSyntax.of(request.sourceTransferSyntaxUid()),
                    ReadOptions.defaults());
            header = reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
        } catch (DicomParseException e) {
            throw new TranscodeException(Reason.MALFORMED, 0, "the data set cannot be read: " + e.getMessage(), e);
        }
        TransferSyntax source = reader.transferSyntax();
        boolean pixelData = reader.event() != Event.END && reader.tag() == Tag.PixelData;
        boolean encapsulated = pixelData && reader.event() == Event.FRAGMENTS_START;
        if (pixelData && encapsulated != source.encapsulated()) {
            throw new TranscodeException(Reason.MALFORMED, "Pixel Data is " + (encapsulated ? "encapsulated" : "native")
                    + " but the transfer syntax is " + FrameCodecs.name(source.uid()));
        }
        // DicomWriter.finish() flushes this buffer into the caller's stream and closes nothing
        OutputStream out = new BufferedOutputStream(targetStream, CHUNK);
        if (!pixelData || encapsulated && source.uid().equals(target.uid()) || !encapsulated && !target.encapsulated()) {
            return copy(reader, header, source, pixelData, out);
        }
        return convert(reader, header, source, encapsulated, out);
    }

    // ---------------------------------------------------------------- no pixel conversion

    /** Streams the instance through: same encapsulated syntax, native to native, or no Pixel Data. */
    private TranscodeResult copy(DicomReader reader, DataSet header, TransferSyntax source, boolean pixelData,
                                 OutputStream out) throws TranscodeException, IOException {
        String sopInstanceUid = header.getString(Tag.SOPInstanceUID);
        DicomWriter writer = openWriter(out, header, reader.fileMetaInformation(), sopInstanceUid);
        ImageDescriptor image = null;
        int frames = 0;
        if (pixelData) {
            try {
                image = PixelModule.stated(header);
                frames = PixelModule.numberOfFrames(header);
            } catch (TranscodeException e) {
                // copied unchanged, so the image need not be understood
            }
        }
        writer.writeDataSet(header);
        if (pixelData) {
            Event e = reader.next();
            if (e == Event.FRAGMENTS_START) {
                copyFragments(reader, writer);
            } else {
                copyNativePixelData(reader, writer, header);
            }
        }
        writer.transcode(reader);
        writer.finish();
        return new TranscodeResult(source.uid(), target.uid(), sopInstanceUid, sopInstanceUid, frames, false, false, 0,
                image);
    }

    private static void copyFragments(DicomReader reader, DicomWriter writer) throws IOException {
        writer.writeHeader(Tag.PixelData, VR.OB, -1);
        Event e;
        while ((e = reader.next()) == Event.FRAGMENT) {
            long length = reader.length();
            writer.writeItemHeader(length + (length & 1));
            copy(reader.valueStream(), length, 1, 1, writer);
            if ((length & 1) != 0) {
                writer.writeBytes(new byte[1], 0, 1);
            }
        }
        if (e != Event.FRAGMENTS_END) {
            throw new DicomParseException("encapsulated Pixel Data ends without a Sequence Delimitation Item",
                    Tag.PixelData, reader.headerPosition());
        }
        writer.writeSequenceDelimiter();
    }

    /** Native Pixel Data with the VR of PS3.5 A.2 (OB up to 8 bits, else OW), reordered between byte orders. */
    private void copyNativePixelData(DicomReader reader, DicomWriter writer, DataSet header) throws IOException {
        VR sourceVR = reader.vr();
        VR vr = header.contains(Tag.BitsAllocated) ? PixelModule.nativeVR(header.getInt(Tag.BitsAllocated, 16))
                : sourceVR;
        long length = reader.length();
        writer.writeHeader(Tag.PixelData, vr, length + (length & 1));
        copy(reader.valueStream(), length, reader.bigEndian() ? sourceVR.swapUnit() : 1,
                target.bigEndian() ? vr.swapUnit() : 1, writer);
        if ((length & 1) != 0) {
            writer.writeBytes(new byte[1], 0, 1);
        }
    }

    // ---------------------------------------------------------------- pixel conversion

    private TranscodeResult convert(DicomReader reader, DataSet header, TransferSyntax source, boolean encapsulated,
                                    OutputStream out) throws TranscodeException, IOException {
        ImageDescriptor stated = PixelModule.stated(header);
        int frames = PixelModule.numberOfFrames(header);
        if (request.lossyPolicy() == LossyPolicy.REFUSE && Transcoding.isLossy(source.uid(), target.uid())) {
            throw lossyRefused(source);
        }
        FrameCodecs codecs = new FrameCodecs(registry, source.uid(), stated);
        if (encapsulated) {
            codecs.requireDecoder();
        } else {
            codecs.requireEncoder(target.uid(), PixelModule.encoderInput(stated));
        }
        try (FrameSpool spool = new FrameSpool(settings.spoolMemoryLimit(), settings.spoolDirectory())) {
            Conversion conversion = new Conversion(codecs, spool);
            long compressedSourceBytes = 0;
            try {
                if (encapsulated) {
                    compressedSourceBytes = readFragments(reader, header, frames, codecs, conversion);
                } else {
                    readNativeFrames(reader, stated, frames, conversion);
                }
            } catch (DicomParseException e) {
                throw new TranscodeException(Reason.MALFORMED, 0, "the Pixel Data cannot be read: " + e.getMessage(), e);
            }
            if (conversion.lossy && request.lossyPolicy() == LossyPolicy.REFUSE) {
                throw lossyRefused(source);
            }
            String sourceSopInstanceUid = header.getString(Tag.SOPInstanceUID);
            boolean sourceMarkedLossy = HeaderRules.isMarkedLossy(header);
            HeaderRules.setImage(header, conversion.written);
            if (encapsulated && Transcoding.isLossy(source.uid())) {
                double sourceRatio = (double) stated.frameLength() * frames / compressedSourceBytes;
                HeaderRules.recordSourceLossy(header, Transcoding.lossyCompressionMethod(source.uid()).orElse(null),
                        sourceRatio);
            }
            double ratio = target.encapsulated() ? (double) conversion.nativeBytes / spool.totalLength() : 0;
            String sopInstanceUid = sourceSopInstanceUid;
            if (conversion.lossy) {
                HeaderRules.recordLossyCompression(header, Transcoding.lossyCompressionMethod(target.uid()).orElse(null),
                        ratio, target.name());
                if (request.lossyPolicy() == LossyPolicy.NEW_SOP_INSTANCE_UID) {
                    sopInstanceUid = settings.uids().createUid();
                    HeaderRules.newInstance(header, sopInstanceUid, sourceMarkedLossy);
                }
            }
            byte[] basicOffsetTable = target.encapsulated() ? offsetTables(header, spool) : null;
            if (!target.encapsulated()) {
                HeaderRules.removeExtendedOffsetTable(header);
            }
            DicomWriter writer = openWriter(out, header, reader.fileMetaInformation(), sopInstanceUid);
            writer.writeDataSet(header);
            writePixelData(writer, spool, basicOffsetTable, conversion.written);
            writer.transcode(reader);
            writer.finish();
            return new TranscodeResult(source.uid(), target.uid(), sourceSopInstanceUid, sopInstanceUid, frames, true,
                    conversion.lossy, ratio, conversion.written);
        }
    }

    private TranscodeException lossyRefused(TransferSyntax source) {
        return new TranscodeException(Reason.LOSSY_REFUSED, "converting " + FrameCodecs.name(source.uid()) + " to "
                + FrameCodecs.name(target.uid()) + " is lossy and the request refuses lossy conversion");
    }

    /** Reads native frames one at a time from the Pixel Data value and converts each. */
    private static void readNativeFrames(DicomReader reader, ImageDescriptor stated, int frames, Conversion conversion)
            throws TranscodeException, IOException {
        reader.next();
        long frameBits = NativeLayout.frameBits(stated);
        long frameLength = NativeLayout.frameLength(stated);
        if (frames > 1 && frameBits % 8 != 0) {
            throw new TranscodeException(Reason.UNSUPPORTED, "frames of " + frameBits + " bits do not start on a byte"
                    + " boundary; they can only be copied to another uncompressed syntax");
        }
        if (frameLength > Integer.MAX_VALUE - 8) {
            throw new TranscodeException(Reason.UNSUPPORTED, "a native frame of " + frameLength + " bytes is too large");
        }
        long needed = NativeLayout.pixelDataLength(stated, frames);
        if (reader.length() < needed) {
            throw new TranscodeException(Reason.MALFORMED, "Pixel Data has " + reader.length() + " bytes, but "
                    + frames + " frame(s) of " + FrameCodecs.describe(stated) + " need " + needed);
        }
        int unit = reader.bigEndian() ? reader.vr().swapUnit() : 1;
        InputStream in = reader.valueStream();
        byte[] frame = new byte[(int) frameLength];
        for (int n = 1; n <= frames; n++) {
            if (in.readNBytes(frame, 0, frame.length) < frame.length) {
                throw new DicomParseException("Pixel Data ends inside frame " + n, Tag.PixelData, reader.position());
            }
            NativeLayout.swap(frame, frame.length, unit);
            conversion.accept(n, frame, stated);
        }
    }

    /**
     * Reads encapsulated Pixel Data fragment by fragment, decoding each frame when the next one
     * begins ({@link FrameSplitter}); holds only the current frame's compressed bytes.
     *
     * @return the total length of the frame fragments (for the source's compression ratio)
     */
    private static long readFragments(DicomReader reader, DataSet header, int frames, FrameCodecs codecs,
                                      Conversion conversion) throws TranscodeException, IOException {
        reader.next();
        if (reader.next() != Event.FRAGMENT) {
            throw new TranscodeException(Reason.MALFORMED, "encapsulated Pixel Data without a Basic Offset Table item");
        }
        long[] offsets = PixelModule.offsets(header.getBytes(Tag.ExtendedOffsetTable), 8);
        byte[] basicOffsetTable = reader.readValue();
        if (offsets.length == 0) {
            offsets = PixelModule.offsets(basicOffsetTable, 4);
        }
        FrameSplitter splitter = new FrameSplitter(frames, offsets);
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        byte[] head = new byte[12];
        long firstItem = -1;
        long total = 0;
        int frameNumber = 0;
        Event e;
        while ((e = reader.next()) == Event.FRAGMENT) {
            if (firstItem < 0) {
                firstItem = reader.headerPosition();
            }
            long length = reader.length();
            InputStream value = reader.valueStream();
            int headLength = value.readNBytes(head, 0, (int) Math.min(head.length, length));
            if (splitter.startsFrame(reader.headerPosition() - firstItem, head, headLength)) {
                if (frameNumber > 0) {
                    decodeFrame(frameNumber, current, codecs, conversion);
                }
                frameNumber++;
                current.reset();
            }
            if (current.size() + length > Integer.MAX_VALUE - 8) {
                throw new TranscodeException(Reason.UNSUPPORTED, frameNumber, "frame " + frameNumber
                        + " is more than 2 GiB long", null);
            }
            current.write(head, 0, headLength);
            long rest = length - headLength;
            if (value.transferTo(current) != rest) {
                throw new DicomParseException("fragment ends early", Tag.PixelData, reader.position());
            }
            total += length;
        }
        if (e != Event.FRAGMENTS_END) {
            throw new TranscodeException(Reason.MALFORMED, "encapsulated Pixel Data ends without a Sequence Delimitation"
                    + " Item");
        }
        splitter.finish();
        decodeFrame(frameNumber, current, codecs, conversion);
        return total;
    }

    private static void decodeFrame(int frameNumber, ByteArrayOutputStream compressed, FrameCodecs codecs,
                                    Conversion conversion) throws TranscodeException, IOException {
        DecodedFrame decoded = codecs.decode(frameNumber, compressed.toByteArray());
        conversion.accept(frameNumber, decoded.pixels(), decoded.image());
    }

    /**
     * Offset tables for encapsulated output with one fragment per frame (PS3.5 A.4): the Basic
     * Offset Table, or (when asked, or when offsets pass 32 bits) an Extended Offset Table in the
     * data set and an empty Basic Offset Table. Offsets count from the first item after the Basic
     * Offset Table; lengths are those of the frames' bit streams.
     *
     * @return the Basic Offset Table item's value
     */
    private byte[] offsetTables(DataSet header, FrameSpool spool) {
        int frames = spool.frames();
        long[] offsets = new long[frames];
        long[] lengths = new long[frames];
        long at = 0;
        for (int i = 0; i < frames; i++) {
            offsets[i] = at;
            lengths[i] = spool.length(i);
            at += 8 + lengths[i] + (lengths[i] & 1);
        }
        if (request.extendedOffsetTable() || offsets[frames - 1] > 0xFFFFFFFFL) {
            HeaderRules.setExtendedOffsetTable(header, offsets, lengths);
            return new byte[0];
        }
        HeaderRules.removeExtendedOffsetTable(header);
        byte[] table = new byte[4 * frames];
        for (int i = 0; i < frames; i++) {
            for (int k = 0; k < 4; k++) {
                table[4 * i + k] = (byte) (offsets[i] >>> 8 * k);
            }
        }
        return table;
    }

    private void writePixelData(DicomWriter writer, FrameSpool spool, byte[] basicOffsetTable, ImageDescriptor written)
            throws IOException {
        try (InputStream in = spool.open()) {
            if (basicOffsetTable != null) {
                writer.writeHeader(Tag.PixelData, VR.OB, -1);
                writer.writeItemHeader(basicOffsetTable.length);
                writer.writeBytes(basicOffsetTable, 0, basicOffsetTable.length);
                for (int i = 0; i < spool.frames(); i++) {
                    long length = spool.length(i);
                    writer.writeItemHeader(length + (length & 1));
                    copy(in, length, 1, 1, writer);
                    if ((length & 1) != 0) {
                        writer.writeBytes(new byte[1], 0, 1); // PS3.5 A.4: items have even length
                    }
                }
                writer.writeSequenceDelimiter();
            } else {
                VR vr = PixelModule.nativeVR(written.bitsAllocated());
                long length = spool.totalLength();
                writer.writeHeader(Tag.PixelData, vr, length + (length & 1));
                copy(in, length, 1, target.bigEndian() ? vr.swapUnit() : 1, writer);
                if ((length & 1) != 0) {
                    writer.writeBytes(new byte[1], 0, 1);
                }
            }
        }
    }

    /**
     * Copies {@code length} bytes, turning words of {@code sourceUnit} bytes from big to little
     * endian and then words of {@code targetUnit} bytes from little to big endian (1: as they are).
     */
    private static void copy(InputStream in, long length, int sourceUnit, int targetUnit, DicomWriter writer)
            throws IOException {
        byte[] buffer = new byte[(int) Math.min(CHUNK, Math.max(length, 8))];
        long left = length;
        while (left > 0) {
            int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
            if (n == 0) {
                throw new EOFException("the source ended " + left + " bytes before the end of a value");
            }
            NativeLayout.swap(buffer, n, sourceUnit);
            NativeLayout.swap(buffer, n, targetUnit);
            writer.writeBytes(buffer, 0, n);
            left -= n;
        }
    }

    /** Part 10 (meta information for the written instance) or a bare data set. */
    private DicomWriter openWriter(OutputStream out, DataSet header, DataSet sourceMeta, String sopInstanceUid)
            throws TranscodeException, IOException {
        if (!request.part10()) {
            return DicomWriter.create(out, target, WriteOptions.defaults());
        }
        String sopClass = header.getString(Tag.SOPClassUID);
        String sopInstance = sopInstanceUid;
        if (sourceMeta != null) {
            sopClass = sopClass != null ? sopClass : sourceMeta.getString(Tag.MediaStorageSOPClassUID);
            sopInstance = sopInstance != null ? sopInstance : sourceMeta.getString(Tag.MediaStorageSOPInstanceUID);
        }
        if (sopClass == null || sopInstance == null) {
            throw new TranscodeException(Reason.MALFORMED, "a Part 10 file needs the SOP Class and SOP Instance UID,"
                    + " which the data set does not have");
        }
        return DicomWriter.createPart10(out, FileMetaInformation.create(sopClass, sopInstance, target.uid()),
                WriteOptions.defaults());
    }

    /** Where the converted frames go, and what they turned out to be. */
    private final class Conversion {
        private final FrameCodecs codecs;
        private final FrameSpool spool;
        ImageDescriptor written;
        boolean lossy;
        long nativeBytes;

        Conversion(FrameCodecs codecs, FrameSpool spool) {
            this.codecs = codecs;
            this.spool = spool;
        }

        /** Takes one native frame (little endian) and spools it in the target syntax. */
        void accept(int frameNumber, byte[] pixels, ImageDescriptor image) throws TranscodeException, IOException {
            if (target.encapsulated()) {
                ImageDescriptor input = PixelModule.encoderInput(image);
                EncodedFrame encoded = codecs.encode(frameNumber, target.uid(), input,
                        PixelModule.encoderInput(pixels, image), request.encodeOptions());
                check(frameNumber, encoded.image());
                lossy |= encoded.lossy();
                nativeBytes += input.frameLength();
                spool.add(encoded.data(), encoded.data().length);
            } else {
                check(frameNumber, image);
                spool.add(pixels, (int) NativeLayout.frameLength(image));
            }
        }

        /** Every frame of an instance must come out alike: the data set states one image. */
        private void check(int frameNumber, ImageDescriptor image) throws TranscodeException {
            if (written == null) {
                written = image;
            } else if (!written.equals(image)) {
                throw new TranscodeException(Reason.CORRUPT_FRAME, frameNumber, "frame " + frameNumber + " comes out as "
                        + FrameCodecs.describe(image) + " but frame 1 as " + FrameCodecs.describe(written), null);
            }
        }
    }
}
