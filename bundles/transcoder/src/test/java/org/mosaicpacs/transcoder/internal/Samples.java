package org.mosaicpacs.transcoder.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Fragments;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.WriteOptions;

/** Test files made from real ones: fragments split, frames damaged. */
final class Samples {

    private Samples() {
    }

    /** A file read whole into memory, with its meta information. */
    record Loaded(DataSet meta, DataSet dataSet) {
        Fragments fragments() {
            return dataSet.getFragments(Tag.PixelData);
        }
    }

    static Loaded load(Path file) throws IOException {
        try (DicomReader reader = DicomReader.open(file, ReadOptions.loadAll())) {
            DataSet ds = reader.readDataSet();
            return new Loaded(reader.fileMetaInformation(), ds);
        }
    }

    /**
     * Rewrites encapsulated Pixel Data with each frame's bytes (one fragment per frame in the
     * source) replaced by {@code change} (frame number from 1, bytes) and split into
     * {@code pieces} fragments of even length, with or without a Basic Offset Table.
     */
    static Path rewrite(Path source, Path target, int pieces, boolean basicOffsetTable,
                        BiFunction<Integer, byte[], byte[]> change) throws IOException {
        Loaded file = load(source);
        Fragments in = file.fragments();
        List<byte[]> items = new ArrayList<>();
        long[] offsets = new long[in.size() - 1];
        long at = 0;
        for (int i = 1; i < in.size(); i++) {
            byte[] frame = change.apply(i, in.bytes(i));
            offsets[i - 1] = at;
            int step = Math.max(2, (frame.length / pieces + 1) & ~1);
            for (int from = 0; from < frame.length; from += step) {
                byte[] piece = Arrays.copyOfRange(frame, from, Math.min(frame.length, from + step));
                items.add(piece);
                at += 8 + piece.length + (piece.length & 1);
            }
        }
        Fragments out = new Fragments();
        byte[] table = new byte[basicOffsetTable ? 4 * offsets.length : 0];
        for (int i = 0; basicOffsetTable && i < offsets.length; i++) {
            for (int k = 0; k < 4; k++) {
                table[4 * i + k] = (byte) (offsets[i] >>> 8 * k);
            }
        }
        out.add(table);
        items.forEach(out::add);
        file.dataSet().setFragments(Tag.PixelData, VR.OB, out);
        DicomWriter.writeFile(target, file.meta(), file.dataSet(), WriteOptions.defaults());
        return target;
    }
}
