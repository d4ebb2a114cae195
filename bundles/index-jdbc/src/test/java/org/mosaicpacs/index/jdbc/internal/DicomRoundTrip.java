package org.mosaicpacs.index.jdbc.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.WriteOptions;

/** Encodes a data set and reads it back, so its text is held as bytes in its own character set, as received. */
final class DicomRoundTrip {

    private DicomRoundTrip() {
    }

    static DataSet explicitLittleEndian(DataSet ds) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DicomWriter w = DicomWriter.create(out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.defaults())) {
            w.writeDataSet(ds);
        }
        try (DicomReader r = DicomReader.open(new ByteArrayInputStream(out.toByteArray()),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.loadAll())) {
            return r.readDataSet();
        }
    }
}
