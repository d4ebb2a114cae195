package org.mosaicpacs.dicom.net.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.net.DataSetWriter;

/** Data sets of DIMSE messages, encoded in the presentation context's transfer syntax through the core. */
final class DataSets {

    private DataSets() {
    }

    /** Writes a data set in a transfer syntax. */
    static DataSetWriter writer(DataSet dataSet, String transferSyntaxUid) {
        TransferSyntax ts = TransferSyntax.of(transferSyntaxUid);
        return out -> {
            DicomWriter w = DicomWriter.create(out, ts, WriteOptions.defaults());
            w.writeDataSet(dataSet);
            w.finish();
        };
    }

    /** Decodes a data set received in a transfer syntax; everything is loaded into memory. */
    static DataSet decode(InputStream in, String transferSyntaxUid) throws IOException {
        try (DicomReader r = DicomReader.open(in, TransferSyntax.of(transferSyntaxUid), ReadOptions.loadAll())) {
            return r.readDataSet();
        }
    }

    static DataSet decode(byte[] data, String transferSyntaxUid) throws IOException {
        return decode(new ByteArrayInputStream(data), transferSyntaxUid);
    }
}
