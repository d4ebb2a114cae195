package org.mosaicpacs.service.retrieve.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.transcode.FrameReader;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.TranscodeResult;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.testing.Tools;

/**
 * A {@link Transcoder} for tests that decompresses with GDCM's gdcmconv, an independent
 * implementation: enough to drive the retrieve SCP's conversion path (selection, spooling, the
 * converted C-STORE) with real compressed objects. It only decompresses (into the uncompressed
 * syntaxes); frames are not its business.
 */
final class GdcmTranscoder implements Transcoder {

    private final Path gdcmconv = Tools.require("gdcmconv");

    @Override
    public boolean canTranscode(String source, String target, ImageDescriptor image) {
        return source.equals(target) || InstanceSender.isUncompressed(target);
    }

    @Override
    public Optional<String> selectTransferSyntax(String source, ImageDescriptor image, List<String> acceptable,
                                                 boolean allowLossy) {
        return acceptable.contains(source) ? Optional.of(source)
                : acceptable.stream().filter(InstanceSender::isUncompressed).findFirst();
    }

    @Override
    public TranscodeResult transcode(InputStream source, OutputStream target, TranscodeRequest request)
            throws TranscodeException, IOException {
        Path in = Files.createTempFile("gdcm-in-", ".dcm");
        Path out = Files.createTempFile("gdcm-out-", ".dcm");
        try {
            Files.copy(source, in, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Tools.Result r = Tools.run(Duration.ofSeconds(60), List.of(gdcmconv.toString(), "--raw", in.toString(),
                    out.toString()));
            if (r.exitCode() != 0) {
                throw new TranscodeException(TranscodeException.Reason.UNSUPPORTED, "gdcmconv failed: " + r.err());
            }
            TransferSyntax syntax = TransferSyntax.of(request.targetTransferSyntaxUid());
            String sop;
            String sourceSyntax;
            try (DicomReader reader = DicomReader.open(in)) {
                sourceSyntax = reader.transferSyntax().uid();
                sop = reader.fileMetaInformation().getString(Tag.MediaStorageSOPInstanceUID);
            }
            try (DicomReader reader = DicomReader.open(out)) {
                DicomWriter writer = DicomWriter.create(target, syntax, WriteOptions.defaults());
                writer.transcode(reader);
                writer.finish();
            }
            return new TranscodeResult(sourceSyntax, syntax.uid(), sop, sop, 1, true, false, 1.0, null);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    @Override
    public FrameReader openFrames(SeekableByteChannel instance) {
        throw new UnsupportedOperationException("frames are not what the retrieve SCP reads");
    }
}
