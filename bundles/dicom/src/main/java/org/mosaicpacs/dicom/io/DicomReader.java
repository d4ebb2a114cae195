package org.mosaicpacs.dicom.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomLimitException;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.DictionaryEntry;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Fragments;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.SpecificCharacterSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.internal.Bytes;
import org.mosaicpacs.dicom.internal.DicomInput;

/**
 * A streaming reader of DICOM data sets: Part 10 files (preamble, "DICM", File Meta Information
 * in Explicit VR Little Endian, PS3.10 7.1), files without preamble or meta information (the
 * transfer syntax is then guessed), and bare data sets in a given transfer syntax (a DIMSE data
 * set from P-DATA). Implicit VR LE, Explicit VR LE and BE, Deflated Explicit VR LE and every
 * encapsulated syntax; defined and undefined lengths.
 *
 * <p>Two levels of use:
 * <ul>
 * <li>{@link #readDataSet()} / {@link #readDataSet(StopCondition)} build a {@link DataSet},
 *     keeping bulk data as references, loading or handing it to a handler ({@link ReadOptions}).
 *     Stopping before an element (e.g. {@code StopCondition.beforeTag(Tag.PixelData)}) leaves
 *     the stream just after that element's header: {@link #tag()}, {@link #length()} and
 *     {@link #valueStream()} then describe and stream it, and reading can go on from there.</li>
 * <li>{@link #next()} pulls one {@link Event} at a time ({@code StAX} style) with the element's
 *     {@link #tag()}, {@link #vr()}, {@link #length()} and position; its value can be read
 *     ({@link #readValue()}), streamed ({@link #valueStream()}) or skipped (by calling
 *     {@link #next()} again).</li>
 * </ul>
 * In Implicit VR the VR comes from the data dictionary (the private one for known private
 * elements), ambiguous VRs are resolved as PS3.5 Annex A and PS3.3 say (US or SS by Pixel
 * Representation, OB or OW as OW, ...), and UN values whose VR the dictionary knows are read with
 * that VR (an undefined-length UN as a sequence, PS3.5 6.2.2).
 *
 * <p>Every problem with the input is a {@link DicomParseException} naming the tag and byte offset;
 * lengths that exceed the input or {@link ReadOptions#maxValueLength()} fail before anything is
 * allocated. Not thread-safe.
 */
public final class DicomReader implements Closeable {

    /** What {@link #next()} found. */
    public enum Event {
        /** A data element with a defined-length value (not a sequence). */
        ELEMENT,
        /** A sequence element; its items follow. */
        SEQUENCE_START,
        /** An item of the current sequence; its elements follow. */
        ITEM_START,
        /** The end of the current item. */
        ITEM_END,
        /** The end of the current sequence. */
        SEQUENCE_END,
        /** Encapsulated Pixel Data (undefined length); its fragments follow. */
        FRAGMENTS_START,
        /** One fragment (the first is the Basic Offset Table). */
        FRAGMENT,
        /** The end of the encapsulated Pixel Data. */
        FRAGMENTS_END,
        /** The end of the data set. */
        END
    }

    private static final int PREFETCH_LIMIT = 1024;
    private static final int CHUNK = 1 << 20;

    private enum Kind { DATASET, SEQUENCE, ITEM, FRAGMENTS }

    /** One level of nesting. */
    private static final class Frame {
        final Kind kind;
        final Frame parent;
        final long end;
        final boolean implicit;
        final boolean bigEndian;
        final int depth;
        Map<Integer, String> creators;
        int pixelRepresentation = -1;
        int lutDescriptor0 = -1;
        int fragmentIndex;

        Frame(Kind kind, Frame parent, long end, boolean implicit, boolean bigEndian, int depth) {
            this.kind = kind;
            this.parent = parent;
            this.end = end;
            this.implicit = implicit;
            this.bigEndian = bigEndian;
            this.depth = depth;
        }
    }

    private final DicomInput in;
    private final ReadOptions options;
    private final long streamLength;
    private final URI sourceUri;
    private DataSet fileMetaInformation;
    private TransferSyntax transferSyntax;
    private long dataSetPosition;

    private Frame frame;
    private Event event;
    private int tag;
    private VR vr;
    private long length;
    private long headerPosition;
    private long valuePosition;
    private long valueRemaining;
    private byte[] prefetched;
    private boolean pushedBack;
    private boolean ended;

    private DicomReader(InputStream stream, long streamLength, ReadOptions options, URI sourceUri) {
        this.in = new DicomInput(stream);
        this.options = options;
        this.streamLength = streamLength;
        this.sourceUri = sourceUri;
    }

    // ---------------------------------------------------------------- opening

    /** Opens a file (Part 10 or not) with the default options: bulk data by reference to the file. */
    public static DicomReader open(Path file) throws IOException {
        return open(file, ReadOptions.defaults());
    }

    /** Opens a file (Part 10 or not); bulk data references point into the file. */
    public static DicomReader open(Path file, ReadOptions options) throws IOException {
        InputStream stream = Files.newInputStream(file);
        try {
            URI uri = options.sourceUri() != null ? options.sourceUri() : file.toAbsolutePath().toUri();
            DicomReader reader = new DicomReader(stream, Files.size(file), options, uri);
            reader.readPreambleAndMeta(null);
            return reader;
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /**
     * Opens a stream holding a file (Part 10 or not, transfer syntax guessed if there is no meta
     * information). Bulk data references need {@link ReadOptions#sourceUri()}.
     */
    public static DicomReader open(InputStream stream, ReadOptions options) throws IOException {
        DicomReader reader = new DicomReader(stream, -1, options, options.sourceUri());
        reader.readPreambleAndMeta(null);
        return reader;
    }

    /**
     * Opens a stream holding a bare data set in a known transfer syntax: no preamble, no meta
     * information (a DIMSE command or data set, PS3.7 and PS3.8). Deflated syntaxes are inflated.
     */
    public static DicomReader open(InputStream stream, TransferSyntax transferSyntax, ReadOptions options)
            throws IOException {
        DicomReader reader = new DicomReader(stream, -1, options, options.sourceUri());
        reader.readPreambleAndMeta(transferSyntax);
        return reader;
    }

    /** The File Meta Information (group 0002), or null if the input had none. */
    public DataSet fileMetaInformation() {
        return fileMetaInformation;
    }

    /** The transfer syntax of the data set (from the meta information, given or guessed). */
    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    /** The stream position where the data set (after preamble and meta information) starts. */
    public long dataSetPosition() {
        return dataSetPosition;
    }

    private void readPreambleAndMeta(TransferSyntax given) throws IOException {
        if (given == null) {
            int n = in.ensure(132);
            if (n == 132 && in.peek(128) == 'D' && in.peek(129) == 'I' && in.peek(130) == 'C' && in.peek(131) == 'M') {
                in.advance(132);
                readFileMetaInformation();
            } else if (n >= 4 && in.peek(0) == 'D' && in.peek(1) == 'I' && in.peek(2) == 'C' && in.peek(3) == 'M') {
                in.advance(4);
                readFileMetaInformation();
            } else if (n >= 8 && in.peek(0) == 0x02 && in.peek(1) == 0x00) {
                readFileMetaInformation(); // meta information without preamble
            }
            String tsUid = fileMetaInformation == null ? null : fileMetaInformation.getString(Tag.TransferSyntaxUID);
            given = tsUid != null ? TransferSyntax.of(tsUid) : guessTransferSyntax();
        }
        transferSyntax = given;
        if (given.deflated()) {
            in.startInflating();
        }
        dataSetPosition = in.position();
        frame = new Frame(Kind.DATASET, null, -1, !given.explicitVR(), given.bigEndian(), 0);
    }

    private void readFileMetaInformation() throws IOException {
        long start = in.position();
        int n = in.ensure(8);
        boolean explicit = n == 8 && VR.fromCode(in.peek(4), in.peek(5)) != null;
        frame = new Frame(Kind.DATASET, null, -1, !explicit, false, 0);
        DataSet meta = new DataSet();
        while (true) {
            if (in.ensure(2) < 2 || in.peek(0) != 0x02 || in.peek(1) != 0x00) {
                break;
            }
            Event e = next();
            if (e != Event.ELEMENT) {
                throw new DicomParseException("unexpected " + e + " in the File Meta Information", tag, headerPosition);
            }
            meta.setBytes(tag, vr, readValue());
        }
        if (meta.isEmpty()) {
            throw new DicomParseException("no File Meta Information after the DICM prefix", -1, start);
        }
        fileMetaInformation = meta;
    }

    /** Looks at the first element header: big endian if the group's high byte comes first, explicit if a VR follows. */
    private TransferSyntax guessTransferSyntax() throws IOException {
        int n = in.ensure(8);
        if (n < 8) {
            return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        boolean bigEndian = in.peek(0) == 0 && in.peek(1) != 0;
        boolean explicit = VR.fromCode(in.peek(4), in.peek(5)) != null;
        if (bigEndian) {
            return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
        }
        return explicit ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }

    // ---------------------------------------------------------------- pull parsing

    /** The current event's tag (the item tag for items and fragments). */
    public int tag() {
        return tag;
    }

    /** The current element's VR (null for items and delimiters). */
    public VR vr() {
        return vr;
    }

    /** The current value length in bytes, -1 if undefined. */
    public long length() {
        return length;
    }

    /** The stream position of the current element's or item's header. */
    public long headerPosition() {
        return headerPosition;
    }

    /** The stream position of the current value's first byte. */
    public long valuePosition() {
        return valuePosition;
    }

    /** Nesting depth of the current event: 0 in the top-level data set. */
    public int depth() {
        return frame.depth;
    }

    /** True if values at the current position are big endian. */
    public boolean bigEndian() {
        return frame.bigEndian;
    }

    /** The current stream position (inflated position for deflated data sets). */
    public long position() {
        return in.position();
    }

    /** The last event returned by {@link #next()}. */
    public Event event() {
        return event;
    }

    /**
     * Moves to the next event, skipping what is left of the current value.
     *
     * @throws DicomParseException if the input is not valid DICOM
     */
    public Event next() throws IOException {
        if (pushedBack) {
            pushedBack = false;
            return event;
        }
        if (ended) {
            return Event.END;
        }
        if (valueRemaining > 0) {
            skip(valueRemaining);
        }
        valueRemaining = 0;
        prefetched = null;
        while (true) {
            Event e = switch (frame.kind) {
                case DATASET, ITEM -> nextInDataSet();
                case SEQUENCE -> nextInSequence();
                case FRAGMENTS -> nextFragment();
            };
            if (e != null) {
                event = e;
                if (e == Event.END) {
                    ended = true;
                }
                return e;
            }
        }
    }

    private Event nextInDataSet() throws IOException {
        Frame f = frame;
        long pos = in.position();
        if (f.end >= 0 && pos >= f.end) {
            return popItem();
        }
        int n = in.ensure(8);
        if (n == 0 && f.kind == Kind.DATASET) {
            return Event.END;
        }
        headerPosition = pos;
        if (n < 8) {
            throw new DicomParseException(n == 0 ? "unexpected end of input inside an item" : "truncated element header",
                    -1, pos);
        }
        boolean be = f.bigEndian;
        int t = read16(0, be) << 16 | read16(2, be);
        tag = t;
        if (t == Tags.ITEM_DELIMITATION) {
            in.advance(8);
            if (f.kind == Kind.ITEM) {
                return popItem();
            }
            return null; // a stray delimiter at the top level: skipped, as DCMTK does
        }
        if (t == Tags.SEQUENCE_DELIMITATION && f.kind == Kind.DATASET) {
            in.advance(8);
            return null;
        }
        if (Tags.isItemOrDelimiter(t)) {
            throw new DicomParseException("unexpected " + (t == Tags.ITEM ? "item" : "sequence delimiter")
                    + " where a data element should be", t, pos);
        }
        VR v;
        long len;
        boolean implicitContent = f.implicit;
        VR explicitVR = f.implicit ? null : VR.fromCode(in.peek(4), in.peek(5));
        if (explicitVR != null) {
            if (explicitVR.hasLongExplicitHeader()) {
                if (in.ensure(12) < 12) {
                    throw new DicomParseException("truncated element header", t, pos);
                }
                len = read32(8, be);
                in.advance(12);
            } else {
                len = read16(6, be);
                in.advance(8);
            }
            v = explicitVR;
            if (v == VR.UN) {
                VR known = len == -1 ? VR.SQ : knownVR(t, len);
                if (known != null) {
                    v = known;
                    // UN values are encoded in Implicit VR Little Endian (PS3.5 6.2.2)
                    implicitContent = v == VR.SQ || implicitContent;
                }
            }
        } else {
            len = read32(4, be);
            in.advance(8);
            v = implicitVR(t);
        }
        vr = v;
        length = len;
        valuePosition = in.position();
        if (v == VR.SQ) {
            checkLength(t, len, valuePosition);
            long end = len < 0 ? -1 : valuePosition + len;
            frame = new Frame(Kind.SEQUENCE, f, end, implicitContent, implicitContent ? false : be, f.depth);
            return Event.SEQUENCE_START;
        }
        if (len < 0) {
            if (v == VR.UN || f.implicit && v != VR.OB && v != VR.OW) {
                // undefined-length UN or unknown implicit element: a sequence in Implicit VR LE (PS3.5 6.2.2)
                vr = VR.SQ;
                frame = new Frame(Kind.SEQUENCE, f, -1, true, false, f.depth);
                return Event.SEQUENCE_START;
            }
            if (v != VR.OB && v != VR.OW) {
                throw new DicomParseException("undefined length for a " + v + " value", t, pos);
            }
            if (explicitVR == null) {
                vr = VR.OB; // encapsulated Pixel Data is OB (PS3.5 A.4) when no VR says otherwise
            }
            frame = new Frame(Kind.FRAGMENTS, f, -1, f.implicit, be, f.depth);
            return Event.FRAGMENTS_START;
        }
        checkLength(t, len, valuePosition);
        valueRemaining = len;
        prefetch(f, t, v, len);
        return Event.ELEMENT;
    }

    private Event popItem() {
        Frame f = frame;
        if (f.kind != Kind.ITEM) {
            return Event.END;
        }
        frame = f.parent;
        tag = Tags.ITEM_DELIMITATION;
        vr = null;
        length = 0;
        return Event.ITEM_END;
    }

    private Event nextInSequence() throws IOException {
        Frame f = frame;
        long pos = in.position();
        if (f.end >= 0 && pos >= f.end) {
            return popSequence(Event.SEQUENCE_END);
        }
        headerPosition = pos;
        if (in.ensure(8) < 8) {
            throw new DicomParseException("unexpected end of input inside a sequence", -1, pos);
        }
        int t = read16(0, f.bigEndian) << 16 | read16(2, f.bigEndian);
        long len = read32(4, f.bigEndian);
        in.advance(8);
        tag = t;
        vr = null;
        length = len;
        valuePosition = in.position();
        if (t == Tags.ITEM) {
            checkLength(t, len, valuePosition);
            frame = new Frame(Kind.ITEM, f, len < 0 ? -1 : valuePosition + len, f.implicit, f.bigEndian, f.depth + 1);
            return Event.ITEM_START;
        }
        if (t == Tags.SEQUENCE_DELIMITATION) {
            return popSequence(Event.SEQUENCE_END);
        }
        throw new DicomParseException("expected an item or sequence delimiter, found " + Tags.toString(t), t, pos);
    }

    private Event popSequence(Event e) {
        Frame f = frame;
        frame = f.parent;
        tag = Tags.SEQUENCE_DELIMITATION;
        vr = null;
        length = 0;
        return e;
    }

    private Event nextFragment() throws IOException {
        Frame f = frame;
        long pos = in.position();
        headerPosition = pos;
        if (in.ensure(8) < 8) {
            throw new DicomParseException("unexpected end of input inside encapsulated Pixel Data", Tag.PixelData, pos);
        }
        int t = read16(0, f.bigEndian) << 16 | read16(2, f.bigEndian);
        long len = read32(4, f.bigEndian);
        in.advance(8);
        tag = t;
        vr = null;
        length = len;
        valuePosition = in.position();
        if (t == Tags.SEQUENCE_DELIMITATION) {
            return popSequence(Event.FRAGMENTS_END);
        }
        if (t != Tags.ITEM || len < 0) {
            throw new DicomParseException("expected a fragment item of defined length in encapsulated Pixel Data, found "
                    + Tags.toString(t), Tag.PixelData, pos);
        }
        checkLength(Tag.PixelData, len, valuePosition);
        valueRemaining = len;
        f.fragmentIndex++;
        return Event.FRAGMENT;
    }

    /** The index of the current fragment (0 = Basic Offset Table). */
    public int fragmentIndex() {
        return frame.kind == Kind.FRAGMENTS ? frame.fragmentIndex - 1 : -1;
    }

    /**
     * Rejects lengths beyond the end of the input before anything is allocated or skipped.
     * A length that runs past its enclosing item or sequence is tolerated, as DCMTK and pydicom
     * do (such files exist, e.g. DICOMDIRs with wrong sequence lengths): the enclosing item or
     * sequence then ends after it.
     */
    private void checkLength(int t, long len, long valuePos) throws DicomParseException {
        if (len >= 0 && streamLength >= 0 && !in.isInflating() && valuePos + len > streamLength) {
            throw new DicomLimitException("value length " + len + " exceeds the " + (streamLength - valuePos)
                    + " bytes left in the input", t, valuePos, len);
        }
    }

    private int read16(int i, boolean bigEndian) {
        return bigEndian ? in.peek(i) << 8 | in.peek(i + 1) : in.peek(i) | in.peek(i + 1) << 8;
    }

    /** A 32-bit length; 0xFFFFFFFF (undefined) as -1. */
    private long read32(int i, boolean bigEndian) {
        long v = bigEndian ? (long) read16(i, true) << 16 | read16(i + 2, true)
                : read16(i, false) | (long) read16(i + 2, false) << 16;
        return v == 0xFFFFFFFFL ? -1 : v;
    }

    // ---------------------------------------------------------------- VRs in Implicit VR

    private VR implicitVR(int t) {
        if (Tags.isPrivate(t) && !Tags.isPrivateCreator(t)) {
            DictionaryEntry e = ElementDictionary.lookupPrivate(privateCreator(t), t);
            return e == null ? VR.UN : resolve(e, t);
        }
        DictionaryEntry e = ElementDictionary.lookup(t);
        return e == null ? VR.UN : resolve(e, t);
    }

    /** The VR the dictionary gives an explicit UN element, or null to keep UN. */
    private VR knownVR(int t, long len) {
        DictionaryEntry e;
        if (Tags.isPrivate(t)) {
            e = Tags.isPrivateCreator(t) ? ElementDictionary.lookup(t)
                    : ElementDictionary.lookupPrivate(privateCreator(t), t);
        } else {
            e = len < 0xFFFF ? ElementDictionary.lookup(t) : null;
        }
        if (e == null || e.vrs().isEmpty()) {
            return null;
        }
        VR known = resolve(e, t);
        return known == VR.UN ? null : known;
    }

    private String privateCreator(int t) {
        int creatorTag = Tags.privateCreatorOf(t);
        Frame f = frame;
        while (f != null && f.kind == Kind.SEQUENCE) {
            f = f.parent;
        }
        return creatorTag == 0 || f == null || f.creators == null ? null : f.creators.get(creatorTag);
    }

    /** Resolves "US or SS" and the like the way PS3.5 A.1 and PS3.3 C.7.6.3/C.11.1 define them. */
    private VR resolve(DictionaryEntry e, int t) {
        if (!e.hasAmbiguousVR()) {
            return e.vr();
        }
        var vrs = e.vrs();
        if (vrs.contains(VR.SS) && vrs.size() == 2) {
            for (Frame f = frame; f != null; f = f.parent) {
                if (f.pixelRepresentation >= 0) {
                    return f.pixelRepresentation == 1 ? VR.SS : VR.US;
                }
            }
            return VR.US;
        }
        if (t == Tag.LUTData) {
            return frame.lutDescriptor0 == 1 ? VR.US : VR.OW;
        }
        if (vrs.contains(VR.OW)) {
            return VR.OW; // Implicit VR Little Endian: OB or OW is always OW (PS3.5 A.1)
        }
        return e.vr();
    }

    /** Reads the few small values the parser itself needs to know (private creators, pixel representation). */
    private void prefetch(Frame f, int t, VR v, long len) throws IOException {
        boolean creator = Tags.isPrivateCreator(t);
        if (len > PREFETCH_LIMIT || !(creator || t == Tag.PixelRepresentation || t == Tag.LUTDescriptor)) {
            return;
        }
        byte[] value = readValue();
        prefetched = value;
        if (creator && v.isText()) {
            if (f.creators == null) {
                f.creators = new HashMap<>();
            }
            f.creators.put(t, new String(value, java.nio.charset.StandardCharsets.ISO_8859_1).strip());
        } else if (value.length >= 2 && !v.isText()) {
            int first = f.bigEndian ? (value[0] & 0xFF) << 8 | value[1] & 0xFF : Bytes.u16(value, 0);
            if (t == Tag.PixelRepresentation) {
                f.pixelRepresentation = first;
            } else {
                f.lutDescriptor0 = first;
            }
        }
    }

    // ---------------------------------------------------------------- values

    /**
     * Reads the current value (element or fragment) in stream byte order.
     *
     * @throws DicomLimitException if it is longer than {@link ReadOptions#maxValueLength()}
     */
    public byte[] readValue() throws IOException {
        pushedBack = false; // after a stop, the caller takes the value of the element stopped before
        if (prefetched != null) {
            byte[] p = prefetched;
            prefetched = null;
            valueRemaining = 0;
            return p;
        }
        long len = valueRemaining;
        if (len > options.maxValueLength()) {
            throw new DicomLimitException("value length " + len + " exceeds the limit of " + options.maxValueLength()
                    + " bytes (ReadOptions.maxValueLength); read it as bulk data", tag, valuePosition, len);
        }
        int n = (int) len;
        byte[] value = new byte[Math.min(n, CHUNK)];
        int done = 0;
        try {
            // grow while reading, so a bogus length on a short stream never allocates it all
            while (done < n) {
                if (done == value.length) {
                    value = java.util.Arrays.copyOf(value, (int) Math.min(n, 2L * value.length));
                }
                int r = in.read(value, done, value.length - done);
                if (r < 0) {
                    throw new EOFException();
                }
                done += r;
            }
        } catch (EOFException e) {
            throw new DicomParseException("unexpected end of input: value length " + len + " but only " + done
                    + " bytes left", tag, valuePosition, e);
        }
        valueRemaining = 0;
        return value;
    }

    /**
     * The rest of the current value as a stream (element or fragment, or the element the reader
     * stopped before): exactly its bytes, in stream byte order. Valid until {@link #next()}.
     */
    public InputStream valueStream() {
        pushedBack = false;
        if (prefetched != null) {
            InputStream s = new java.io.ByteArrayInputStream(prefetched);
            prefetched = null;
            valueRemaining = 0;
            return s;
        }
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (valueRemaining <= 0) {
                    return -1;
                }
                int r = in.read(b, off, (int) Math.min(len, valueRemaining));
                if (r < 0) {
                    throw new DicomParseException("unexpected end of input in a value", tag, in.position());
                }
                valueRemaining -= r;
                return r;
            }

            @Override
            public long skip(long n) throws IOException {
                long s = Math.min(n, valueRemaining);
                DicomReader.this.skip(s);
                valueRemaining -= s;
                return s;
            }

            @Override
            public int available() {
                return 0;
            }
        };
    }

    private void skip(long n) throws IOException {
        try {
            in.skipFully(n);
        } catch (EOFException e) {
            throw new DicomParseException("unexpected end of input while skipping a value of " + n + " bytes", tag,
                    in.position(), e);
        }
    }

    // ---------------------------------------------------------------- data sets

    /** Reads the (rest of the) data set to its end. */
    public DataSet readDataSet() throws IOException {
        return readDataSet(StopCondition.NEVER);
    }

    /**
     * Reads the (rest of the) data set until a top-level element matches {@code stop} or the end.
     * After a stop, {@link #event()}, {@link #tag()}, {@link #length()} and
     * {@link #valueStream()} describe the element stopped before, whose header has been read;
     * {@link #next()} and {@code readDataSet} continue with it.
     */
    public DataSet readDataSet(StopCondition stop) throws IOException {
        DataSet ds = new DataSet();
        readInto(ds, stop);
        return ds;
    }

    /** Reads into an existing data set (e.g. to continue after a stop). */
    public void readInto(DataSet target, StopCondition stop) throws IOException {
        // A stop before a top-level sequence or encapsulated value comes after its frame was
        // entered: going on from there replays that start, so it counts as the top level.
        boolean atStoppedStart = pushedBack && (event == Event.SEQUENCE_START || event == Event.FRAGMENTS_START)
                && frame.parent != null && frame.parent.kind == Kind.DATASET;
        if (frame.kind != Kind.DATASET && !atStoppedStart) {
            throw new IllegalStateException("readInto must start at the top level, not inside " + frame.kind);
        }
        DataSet ds = target;
        ArrayDeque<Sequence> sequences = new ArrayDeque<>();
        Fragments fragments = null;
        long fragmentsStart = -1;
        while (true) {
            Event e = next();
            if (frame.depth == 0 && stop != StopCondition.NEVER && isElementStart(e)
                    && stop.stopBefore(tag, vr, length)) {
                pushedBack = true;
                return;
            }
            switch (e) {
                case ELEMENT -> readElement(ds);
                case SEQUENCE_START -> sequences.push(ds.newSequence(tag));
                case ITEM_START -> {
                    DataSet item = sequences.element().addNewItem();
                    item.setEncodedCharacterSet(item.specificCharacterSet());
                    ds = item;
                }
                case ITEM_END -> ds = ds.parent();
                case SEQUENCE_END -> sequences.pop();
                case FRAGMENTS_START -> {
                    fragments = new Fragments();
                    ds.setFragments(tag, vr, fragments);
                    fragmentsStart = options.bulkDataMode() == BulkDataMode.REFERENCE && sourceUri != null
                            && !in.isInflating() ? valuePosition : -1;
                }
                case FRAGMENT -> readFragment(fragments);
                case FRAGMENTS_END -> {
                    if (fragmentsStart >= 0) {
                        fragments.setSource(new BulkData(sourceUri, fragmentsStart, headerPosition - fragmentsStart, false));
                    }
                    fragments = null;
                }
                case END -> {
                    return;
                }
                default -> throw new IllegalStateException(e.toString());
            }
        }
    }

    private static boolean isElementStart(Event e) {
        return e == Event.ELEMENT || e == Event.SEQUENCE_START || e == Event.FRAGMENTS_START;
    }

    private boolean isBulk(VR v, long len, int depth) {
        if (depth == 0 && (tag == Tag.PixelData || tag == Tag.FloatPixelData || tag == Tag.DoubleFloatPixelData)) {
            return true;
        }
        return v.kind() == VR.Kind.BYTES && len > options.bulkDataThreshold();
    }

    private void readElement(DataSet ds) throws IOException {
        int t = tag;
        VR v = vr;
        if (prefetched == null && isBulk(v, length, frame.depth)) {
            Object bulk = bulkValue(v, -1);
            if (bulk instanceof BulkData b) {
                ds.setBulkData(t, v, b);
                return;
            }
            if (bulk == null) {
                ds.setNull(t, v);
                return;
            }
            ds.setBytes(t, v, (byte[]) bulk);
            return;
        }
        byte[] value = readValue();
        if (frame.bigEndian) {
            Bytes.swap(value, 0, value.length, v.swapUnit());
        }
        ds.setBytes(t, v, value);
        if (t == Tag.SpecificCharacterSet) {
            ds.setEncodedCharacterSet(SpecificCharacterSet.of(ds.getStrings(t)));
        }
    }

    private void readFragment(Fragments fragments) throws IOException {
        int index = fragmentIndex();
        // every frame fragment of top-level Pixel Data is bulk data; the Basic Offset Table only if large
        boolean bulk = index > 0 && frame.depth == 0 || length > options.bulkDataThreshold();
        if (bulk) {
            Object value = bulkValue(VR.OB, index);
            if (value instanceof BulkData b) {
                fragments.add(b);
            } else {
                fragments.add(value == null ? new byte[0] : (byte[]) value);
            }
        } else {
            fragments.add(readValue());
        }
    }

    /** A BulkData reference, handler result or loaded bytes (swapped to little endian). */
    private Object bulkValue(VR v, int fragment) throws IOException {
        BulkDataMode mode = options.bulkDataMode();
        if (mode == BulkDataMode.REFERENCE && sourceUri != null && !in.isInflating()) {
            return new BulkData(sourceUri, valuePosition, length, frame.bigEndian && v.swapUnit() > 1);
        }
        if (mode == BulkDataMode.HANDLER) {
            ValueHeader header = new ValueHeader(fragment >= 0 ? Tag.PixelData : tag, v, length, valuePosition,
                    frame.depth, fragment, frame.bigEndian);
            return options.bulkDataHandler().handle(header, valueStream());
        }
        byte[] value = readValue();
        if (frame.bigEndian && fragment < 0) {
            Bytes.swap(value, 0, value.length, v.swapUnit());
        }
        return value;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
