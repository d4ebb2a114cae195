package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.FileMetaInformation;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseRequest;

/**
 * A Storage SCP for tests that spools the raw data set stream to {@code <dir>/<SOP Instance UID>.dcm}
 * behind a File Meta Information, never decoding it: what the archive does.
 */
final class TestStorage implements DimseHandler {

    private final Path dir;
    final Map<String, Path> received = new ConcurrentHashMap<>();
    final Map<String, String> callingAeTitles = new ConcurrentHashMap<>();

    TestStorage(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context) throws Exception {
        if (request.dimse() != Dimse.C_STORE_RQ) {
            throw new DimseStatusException(Status.UNRECOGNIZED_OPERATION, "only C-STORE");
        }
        Path file = dir.resolve(request.sopInstanceUid() + ".dcm");
        DataSet fmi = FileMetaInformation.create(request.sopClassUid(), request.sopInstanceUid(), request.transferSyntax());
        try (OutputStream out = Files.newOutputStream(file); InputStream data = request.dataStream()) {
            DicomWriter w = DicomWriter.createPart10(out, fmi, WriteOptions.defaults());
            w.flush();
            data.transferTo(out);
        }
        received.put(request.sopInstanceUid(), file);
        callingAeTitles.put(request.sopInstanceUid(), context.association().callingAeTitle());
        return DimseResponse.success();
    }
}
