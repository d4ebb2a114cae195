package org.mosaicpacs.service.mpps.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.io.DicomWriter;

/**
 * The stored form of a step's data set: a bare data set in Explicit VR Little Endian with text
 * in UTF-8 (Specific Character Set ISO_IR 192), so that an N-SET in another character set than
 * its N-CREATE keeps every character. Group lengths are dropped.
 */
final class StoredAttributes {

    private static final String UTF_8 = "ISO_IR 192";

    private StoredAttributes() {
    }

    static byte[] encode(DataSet attributes) {
        DataSet ds = attributes.deepCopy();
        for (int tag : ds.tags()) {
            if ((tag & 0xFFFF) == 0) {
                ds.remove(tag);
            }
        }
        // the writer re-encodes text held in another character set (DataSet#encodedCharacterSet)
        ds.setString(Tag.SpecificCharacterSet, VR.CS, UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (DicomWriter writer = DicomWriter.create(out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                WriteOptions.defaults().withUndefinedLengths(false))) {
            writer.writeDataSet(ds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the MPPS data set", e);
        }
        return out.toByteArray();
    }

    static DataSet decode(byte[] encoded) {
        try (DicomReader reader = DicomReader.open(new ByteArrayInputStream(encoded),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.defaults())) {
            return reader.readDataSet();
        } catch (IOException e) {
            throw new IllegalStateException("a stored MPPS data set is corrupt: " + e.getMessage(), e);
        }
    }
}
