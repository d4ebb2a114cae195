package org.mosaicpacs.dicom.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.Fragments;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.SpecificCharacterSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.internal.Bytes;

/**
 * A streaming writer of DICOM data sets: Part 10 files (preamble, "DICM", File Meta
 * Information with its group length, PS3.10 7.1) or bare data sets in a transfer syntax (DIMSE
 * commands and data sets for P-DATA). Writes Implicit VR LE, Explicit VR LE and BE, Deflated
 * Explicit VR LE and encapsulated syntaxes (Pixel Data fragments copied unchanged).
 *
 * <p>Text is written as read when the character set has not changed, else re-encoded in the
 * data set's Specific Character Set; values are padded to even length (PS3.5 7.1.1); binary
 * values are byte-swapped for Big Endian; bulk data is copied from its source through the
 * {@link BulkDataResolver}; existing group lengths are dropped (or recomputed with
 * {@link WriteOptions#groupLengths()}). {@link #transcode(DicomReader)} copies the rest of a
 * reader's data set element by element without building it in memory, converting between the
 * uncompressed and deflated syntaxes on the fly.
 *
 * <p>Call {@link #finish()} (or {@link #close()}) at the end: it completes deflation. Not thread-safe.
 */
public final class DicomWriter implements Closeable, Flushable {

    private static final int COPY_BUFFER = 64 * 1024;

    private final OutputStream target;
    private OutputStream out;
    private DeflaterOutputStream deflater;
    private final TransferSyntax transferSyntax;
    private final WriteOptions options;
    private final byte[] header = new byte[12];
    private final Encoder encoder;

    private DicomWriter(OutputStream target, TransferSyntax transferSyntax, WriteOptions options) {
        this.target = target;
        this.out = target;
        this.transferSyntax = transferSyntax;
        this.options = options;
        this.encoder = new Encoder(transferSyntax, options.groupLengths());
    }

    /**
     * A writer of a bare data set in a transfer syntax: no preamble, no meta information (DIMSE).
     * A deflated syntax deflates everything written.
     */
    public static DicomWriter create(OutputStream out, TransferSyntax transferSyntax, WriteOptions options) {
        DicomWriter w = new DicomWriter(out, transferSyntax, options);
        w.startDeflatingIfNeeded();
        return w;
    }

    /**
     * A writer of a Part 10 file: writes the 128-byte preamble, "DICM" and the File Meta
     * Information now; the data set follows in the meta information's Transfer Syntax UID.
     */
    public static DicomWriter createPart10(OutputStream out, DataSet fileMetaInformation, WriteOptions options)
            throws IOException {
        String tsUid = fileMetaInformation.getString(Tag.TransferSyntaxUID);
        if (tsUid == null) {
            throw new IllegalArgumentException("the File Meta Information has no Transfer Syntax UID");
        }
        DicomWriter w = new DicomWriter(out, TransferSyntax.of(tsUid), options);
        w.writeFileMetaInformation(fileMetaInformation);
        w.startDeflatingIfNeeded();
        return w;
    }

    /** Writes a Part 10 file (buffered) with File Meta Information built from the data set. */
    public static void writeFile(Path file, DataSet dataSet, String transferSyntaxUid, WriteOptions options)
            throws IOException {
        writeFile(file, FileMetaInformation.forDataSet(dataSet, transferSyntaxUid), dataSet, options);
    }

    /** Writes a Part 10 file (buffered). */
    public static void writeFile(Path file, DataSet fileMetaInformation, DataSet dataSet, WriteOptions options)
            throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), COPY_BUFFER);
             DicomWriter w = createPart10(os, fileMetaInformation, options)) {
            w.writeDataSet(dataSet);
        }
    }

    /** The transfer syntax of the data set being written. */
    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    private void startDeflatingIfNeeded() {
        if (transferSyntax.deflated()) {
            deflater = new DeflaterOutputStream(target, new Deflater(options.deflateLevel(), true), COPY_BUFFER);
            out = deflater;
        }
    }

    private void writeFileMetaInformation(DataSet fmi) throws IOException {
        out.write(new byte[128]);
        out.write(new byte[] {'D', 'I', 'C', 'M'});
        DataSet meta = fmi.deepCopy();
        meta.removeRange(0, 0x00020000);
        meta.removeRange(0x00030000, 0xFFFFFFFF);
        if (!meta.contains(Tag.FileMetaInformationVersion)) {
            meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        }
        // group 0002 is always Explicit VR Little Endian (PS3.10 7.1)
        Encoder enc = new Encoder(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, false);
        long groupLength = enc.dataSetLength(meta, SpecificCharacterSet.DEFAULT);
        enc.header(Tag.FileMetaInformationGroupLength, VR.UL, 4);
        byte[] value = new byte[4];
        Bytes.put32(value, 0, (int) groupLength);
        out.write(value);
        enc.dataSet(meta, SpecificCharacterSet.DEFAULT);
    }

    /** Writes a data set (its group 0002 elements too, if any: they belong in the meta information). */
    public void writeDataSet(DataSet dataSet) throws IOException {
        encoder.dataSet(dataSet, dataSet.specificCharacterSet());
    }

    // ---------------------------------------------------------------- low-level primitives

    /** Writes an element header; {@code length} -1 is undefined. VR ignored in Implicit VR. */
    public void writeHeader(int tag, VR vr, long length) throws IOException {
        encoder.header(tag, vr, length);
    }

    /** Writes an item header; {@code length} -1 is undefined. */
    public void writeItemHeader(long length) throws IOException {
        encoder.itemHeader(Tags.ITEM, length);
    }

    /** Writes an Item Delimitation Item. */
    public void writeItemDelimiter() throws IOException {
        encoder.itemHeader(Tags.ITEM_DELIMITATION, 0);
    }

    /** Writes a Sequence Delimitation Item. */
    public void writeSequenceDelimiter() throws IOException {
        encoder.itemHeader(Tags.SEQUENCE_DELIMITATION, 0);
    }

    /** Writes value bytes as they are (already in the transfer syntax's byte order). */
    public void writeBytes(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    /**
     * Copies {@code length} value bytes from a stream, swapping the byte order of binary VRs if
     * the source's differs from the transfer syntax's.
     */
    public void copyValue(InputStream in, long length, VR vr, boolean sourceBigEndian) throws IOException {
        int unit = sourceBigEndian != transferSyntax.bigEndian() ? vr.swapUnit() : 1;
        byte[] buf = new byte[(int) Math.min(COPY_BUFFER, Math.max(length, 8))];
        long left = length;
        int carry = 0;
        while (left > 0) {
            int r = in.read(buf, carry, (int) Math.min(buf.length - carry, left));
            if (r < 0) {
                throw new DicomParseException("the source of a value ended " + left + " bytes early", -1, -1);
            }
            left -= r;
            int n = carry + r;
            int whole = left == 0 || unit <= 1 ? n : n - n % unit;
            Bytes.swap(buf, 0, whole, unit);
            out.write(buf, 0, whole);
            carry = n - whole;
            System.arraycopy(buf, whole, buf, 0, carry);
        }
    }

    /**
     * Copies the rest of a reader's data set (from its current position, or from the element it
     * stopped before) into this writer's transfer syntax, streaming every value: sequences and
     * items get undefined lengths, group lengths are dropped, binary values are swapped between
     * byte orders, encapsulated Pixel Data is copied fragment by fragment.
     *
     * @throws IllegalArgumentException if encapsulated Pixel Data meets a native transfer syntax
     */
    public void transcode(DicomReader reader) throws IOException {
        Encoder enc = encoder;
        while (true) {
            DicomReader.Event e = reader.next();
            switch (e) {
                case ELEMENT -> {
                    if (Tags.isGroupLength(reader.tag())) {
                        continue;
                    }
                    long len = reader.length();
                    VR vr = enc.fitVR(reader.vr(), len + (len & 1));
                    enc.header(reader.tag(), vr, len + (len & 1));
                    copyValue(reader.valueStream(), len, reader.vr(), reader.bigEndian());
                    if ((len & 1) != 0) {
                        out.write(reader.vr().paddingByte());
                    }
                }
                case SEQUENCE_START -> enc.header(reader.tag(), VR.SQ, -1);
                case ITEM_START -> enc.itemHeader(Tags.ITEM, -1);
                case ITEM_END -> enc.itemHeader(Tags.ITEM_DELIMITATION, 0);
                case SEQUENCE_END, FRAGMENTS_END -> enc.itemHeader(Tags.SEQUENCE_DELIMITATION, 0);
                case FRAGMENTS_START -> {
                    requireEncapsulated();
                    enc.header(reader.tag(), reader.vr(), -1);
                }
                case FRAGMENT -> {
                    long len = reader.length();
                    enc.itemHeader(Tags.ITEM, len + (len & 1));
                    copyValue(reader.valueStream(), len, VR.OB, false);
                    if ((len & 1) != 0) {
                        out.write(0);
                    }
                }
                case END -> {
                    return;
                }
                default -> throw new IllegalStateException(e.toString());
            }
        }
    }

    private void requireEncapsulated() {
        if (!transferSyntax.encapsulated()) {
            throw new IllegalArgumentException("encapsulated Pixel Data cannot be written in " + transferSyntax.name()
                    + "; decompress it first");
        }
    }

    /** Completes the deflated stream, if any, and flushes; the underlying stream stays open. */
    public void finish() throws IOException {
        if (deflater != null) {
            deflater.finish();
        }
        target.flush();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Finishes and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            target.close();
        }
    }

    // ---------------------------------------------------------------- encoding

    /** Encodes in one transfer syntax (the meta information uses its own). */
    private final class Encoder {
        private final boolean explicit;
        private final boolean bigEndian;
        private final boolean groupLengths;

        Encoder(TransferSyntax ts, boolean groupLengths) {
            this.explicit = ts.explicitVR();
            this.bigEndian = ts.bigEndian();
            this.groupLengths = groupLengths;
        }

        /** UN for values too long for a VR with a 16-bit length field. */
        VR fitVR(VR vr, long length) {
            return explicit && !vr.hasLongExplicitHeader() && length > 0xFFFF ? VR.UN : vr;
        }

        void header(int tag, VR vr, long length) throws IOException {
            put16(0, tag >>> 16);
            put16(2, tag);
            if (!explicit) {
                put32(4, length);
                out.write(header, 0, 8);
            } else if (vr.hasLongExplicitHeader()) {
                header[4] = (byte) vr.name().charAt(0);
                header[5] = (byte) vr.name().charAt(1);
                header[6] = 0;
                header[7] = 0;
                put32(8, length);
                out.write(header, 0, 12);
            } else {
                if (length < 0 || length > 0xFFFF) {
                    throw new IllegalArgumentException("a " + vr + " value cannot be " + length + " bytes long: "
                            + Tags.toString(tag));
                }
                header[4] = (byte) vr.name().charAt(0);
                header[5] = (byte) vr.name().charAt(1);
                put16(6, (int) length);
                out.write(header, 0, 8);
            }
        }

        void itemHeader(int tag, long length) throws IOException {
            put16(0, tag >>> 16);
            put16(2, tag);
            put32(4, length);
            out.write(header, 0, 8);
        }

        private void put16(int i, int v) {
            if (bigEndian) {
                header[i] = (byte) (v >> 8);
                header[i + 1] = (byte) v;
            } else {
                header[i] = (byte) v;
                header[i + 1] = (byte) (v >> 8);
            }
        }

        private void put32(int i, long v) {
            int x = v < 0 ? -1 : (int) v;
            if (bigEndian) {
                put16(i, x >>> 16);
                put16(i + 2, x);
            } else {
                put16(i, x);
                put16(i + 2, x >>> 16);
            }
        }

        int headerLength(VR vr) {
            return explicit ? vr.explicitHeaderLength() : 8;
        }

        /** The character set in effect inside a data set, given the one of its parent. */
        SpecificCharacterSet charsetOf(DataSet ds, SpecificCharacterSet inherited) {
            return ds.contains(Tag.SpecificCharacterSet)
                    ? SpecificCharacterSet.of(ds.getStrings(Tag.SpecificCharacterSet)) : inherited;
        }

        void dataSet(DataSet ds, SpecificCharacterSet inherited) throws IOException {
            SpecificCharacterSet cs = charsetOf(ds, inherited);
            int group = -1;
            for (int i = 0; i < ds.size(); i++) {
                int tag = ds.tagAt(i);
                if (Tags.isGroupLength(tag)) {
                    continue;
                }
                if (groupLengths && Tags.group(tag) != group) {
                    group = Tags.group(tag);
                    long len = groupLength(ds, i, cs);
                    header(group << 16, VR.UL, 4);
                    byte[] v = new byte[4];
                    Bytes.put32(v, 0, (int) len);
                    if (bigEndian) {
                        Bytes.swap(v, 0, 4, 4);
                    }
                    out.write(v);
                }
                element(ds, i, cs);
            }
        }

        private long groupLength(DataSet ds, int from, SpecificCharacterSet cs) throws IOException {
            int group = Tags.group(ds.tagAt(from));
            long len = 0;
            for (int i = from; i < ds.size() && Tags.group(ds.tagAt(i)) == group; i++) {
                len += elementLength(ds, i, cs);
            }
            return len;
        }

        void element(DataSet ds, int i, SpecificCharacterSet cs) throws IOException {
            int tag = ds.tagAt(i);
            VR vr = ds.vrAt(i);
            Object v = ds.valueAt(i);
            if (v instanceof Sequence seq) {
                boolean undefined = options.undefinedLengths();
                header(tag, VR.SQ, undefined ? -1 : sequenceLength(seq, cs));
                for (DataSet item : seq) {
                    itemHeader(Tags.ITEM, undefined ? -1 : dataSetLength(item, cs));
                    dataSet(item, cs);
                    if (undefined) {
                        itemHeader(Tags.ITEM_DELIMITATION, 0);
                    }
                }
                if (undefined) {
                    itemHeader(Tags.SEQUENCE_DELIMITATION, 0);
                }
            } else if (v instanceof Fragments fragments) {
                requireEncapsulated();
                header(tag, vr, -1);
                for (int k = 0; k < fragments.size(); k++) {
                    long len = fragments.length(k);
                    itemHeader(Tags.ITEM, len + (len & 1));
                    BulkData bulk = fragments.bulkData(k);
                    if (bulk != null) {
                        copyBulk(bulk, VR.OB);
                    } else {
                        out.write(fragments.bytes(k));
                    }
                    if ((len & 1) != 0) {
                        out.write(0);
                    }
                }
                itemHeader(Tags.SEQUENCE_DELIMITATION, 0);
            } else if (v instanceof BulkData bulk) {
                checkNativePixelData(tag);
                requireLength(bulk);
                long len = bulk.length();
                header(tag, fitVR(vr, len + (len & 1)), len + (len & 1));
                copyBulk(bulk, vr);
                if ((len & 1) != 0) {
                    out.write(vr.paddingByte());
                }
            } else {
                if (tag == Tag.PixelData) {
                    checkNativePixelData(tag);
                }
                byte[] bytes = valueBytes(ds, i, cs);
                header(tag, fitVR(vr, bytes.length), bytes.length);
                out.write(bytes);
            }
        }

        private void requireLength(BulkData bulk) {
            if (!bulk.hasLength()) {
                throw new IllegalArgumentException("the length of bulk data " + bulk.uri()
                        + " is unknown (a BulkDataURI from DICOM JSON or XML): resolve it before writing DICOM");
            }
        }

        private void checkNativePixelData(int tag) {
            if (tag == Tag.PixelData && transferSyntax.encapsulated()) {
                throw new IllegalArgumentException("native Pixel Data cannot be written in " + transferSyntax.name()
                        + "; encode it first");
            }
        }

        private void copyBulk(BulkData bulk, VR vr) throws IOException {
            requireLength(bulk);
            try (InputStream in = options.bulkDataResolver().open(bulk)) {
                copyValue(in, bulk.length(), vr, bulk.bigEndian());
            }
        }

        /** The encoded value: text in the target character set, padded to even length, byte order of the syntax. */
        byte[] valueBytes(DataSet ds, int i, SpecificCharacterSet cs) {
            VR vr = ds.vrAt(i);
            Object v = ds.valueAt(i);
            byte[] b;
            if (v instanceof String s) {
                b = cs.encode(s, vr);
            } else {
                b = (byte[]) v;
                if (vr.usesSpecificCharacterSet() && !ds.encodedCharacterSet().equals(cs) && !isPlainAscii(b)) {
                    b = cs.encode(ds.encodedCharacterSet().decode(b, vr), vr);
                }
            }
            boolean swap = bigEndian && vr.swapUnit() > 1;
            if ((b.length & 1) == 0 && !swap) {
                return b;
            }
            byte[] e = java.util.Arrays.copyOf(b, b.length + (b.length & 1));
            if ((b.length & 1) != 0) {
                e[b.length] = vr.paddingByte();
            }
            if (swap) {
                Bytes.swap(e, 0, b.length, vr.swapUnit());
            }
            return e;
        }

        private boolean isPlainAscii(byte[] b) {
            for (byte x : b) {
                if (x < 0 || x == 0x1B) {
                    return false;
                }
            }
            return true;
        }

        long elementLength(DataSet ds, int i, SpecificCharacterSet cs) {
            VR vr = ds.vrAt(i);
            Object v = ds.valueAt(i);
            if (v instanceof Sequence seq) {
                long len = sequenceLength(seq, cs);
                return headerLength(VR.SQ) + (options.undefinedLengths() ? len + 8 : len);
            }
            if (v instanceof Fragments f) {
                long len = 8; // sequence delimiter
                for (int k = 0; k < f.size(); k++) {
                    len += 8 + f.length(k) + (f.length(k) & 1);
                }
                return headerLength(VR.OB) + len;
            }
            long len = v instanceof BulkData bulk ? bulk.length() + (bulk.length() & 1) : valueBytes(ds, i, cs).length;
            return headerLength(fitVR(vr, len)) + len;
        }

        /** The length of the sequence's items (with item delimiters when lengths are undefined). */
        long sequenceLength(Sequence seq, SpecificCharacterSet cs) {
            long len = 0;
            for (DataSet item : seq) {
                len += 8 + dataSetLength(item, cs) + (options.undefinedLengths() ? 8 : 0);
            }
            return len;
        }

        long dataSetLength(DataSet ds, SpecificCharacterSet inherited) {
            SpecificCharacterSet cs = charsetOf(ds, inherited);
            long len = 0;
            int group = -1;
            for (int i = 0; i < ds.size(); i++) {
                int tag = ds.tagAt(i);
                if (Tags.isGroupLength(tag)) {
                    continue;
                }
                if (groupLengths && Tags.group(tag) != group) {
                    group = Tags.group(tag);
                    len += headerLength(VR.UL) + 4;
                }
                len += elementLength(ds, i, cs);
            }
            return len;
        }
    }
}
