package org.mosaicpacs.service.retrieve.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.TranscodeResult;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.api.transcode.Transcoding;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UidRegistry;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.StoreOptions;

/**
 * Sends one stored instance as a C-STORE sub-operation, in a transfer syntax the peer accepted:
 * <ol>
 * <li>the stored syntax when accepted: the data set is copied from storage as stored, unparsed;</li>
 * <li>otherwise, between uncompressed syntaxes (Implicit and Explicit VR Little Endian, Explicit
 *     VR Big Endian, Deflated): converted by the DICOM library while it streams to the peer;</li>
 * <li>otherwise (a compressed syntax on either side): through the {@link Transcoder} when one is
 *     installed, lossless unless lossy conversion is configured; the result is spooled to a
 *     temporary file first, so a conversion failure fails this sub-operation only and never
 *     leaves half a data set on the association.</li>
 * </ol>
 */
final class InstanceSender {

    private final Archive archive;
    private final Supplier<Transcoder> transcoder;
    private final boolean allowLossy;

    /**
     * @param transcoder the transcoder registered now, or null while none is
     * @param allowLossy whether a lossy conversion may be made (the copy then gets a new SOP
     *                   Instance UID, PS3.3 C.7.6.1.1.5)
     */
    InstanceSender(Archive archive, Supplier<Transcoder> transcoder, boolean allowLossy) {
        this.archive = archive;
        this.transcoder = transcoder;
        this.allowLossy = allowLossy;
    }

    /**
     * Sends the instance and returns the peer's C-STORE response.
     *
     * @param acceptable the transfer syntaxes of the contexts usable for its SOP class, in order of preference
     * @throws SubOperationException nothing was sent: the reason says why
     * @throws IOException           the association failed
     */
    DimseResponse send(Association association, InstanceRecord record, List<String> acceptable, StoreOptions options)
            throws SubOperationException, IOException, InterruptedException {
        String sopClass = record.sopClassUid();
        String stored = record.transferSyntaxUid();
        if (acceptable.isEmpty()) {
            throw new SubOperationException(association.remoteAeTitle() + " accepted no presentation context for "
                    + UidRegistry.nameOf(sopClass));
        }
        if (acceptable.contains(stored)) {
            try (StoredInstance instance = open(record)) {
                InputStream dataSet = readBeforeSending(() -> Part10.dataSet(instance.stream()));
                return association.store(sopClass, record.sopInstanceUid(), stored, out -> copyEven(dataSet, out),
                        options);
            }
        }
        Optional<String> uncompressed = acceptable.stream().filter(InstanceSender::isUncompressed).findFirst();
        if (isUncompressed(stored) && uncompressed.isPresent()) {
            TransferSyntax target = TransferSyntax.of(uncompressed.get());
            try (StoredInstance instance = open(record);
                 DicomReader reader = readBeforeSending(() -> DicomReader.open(instance.stream(), ReadOptions.defaults()))) {
                return association.store(sopClass, record.sopInstanceUid(), target.uid(), out -> {
                    DicomWriter writer = DicomWriter.create(out, target, WriteOptions.defaults());
                    writer.transcode(reader);
                    writer.finish();
                }, options);
            }
        }
        return sendTranscoded(association, record, acceptable, options);
    }

    private DimseResponse sendTranscoded(Association association, InstanceRecord record, List<String> acceptable,
                                         StoreOptions options) throws SubOperationException, IOException, InterruptedException {
        String stored = record.transferSyntaxUid();
        Transcoder t = transcoder.get();
        if (t == null) {
            throw new SubOperationException("stored as " + name(stored) + ", not accepted by " + association.remoteAeTitle()
                    + "; no transcoder installed to convert it");
        }
        ImageDescriptor image = image(record);
        String target = t.selectTransferSyntax(stored, image, acceptable, allowLossy)
                .orElseThrow(() -> new SubOperationException("no codec converts " + name(stored) + " into "
                        + String.join(", ", acceptable.stream().map(InstanceSender::name).toList())
                        + (allowLossy ? "" : " without loss")));
        Path spool = null;
        try {
            TranscodeResult result;
            try {
                spool = Files.createTempFile("mosaic-retrieve-", ".dcm");
                try (StoredInstance instance = open(record); OutputStream out = Files.newOutputStream(spool)) {
                    result = t.transcode(instance.stream(), out, TranscodeRequest.to(target).withPart10(false));
                }
            } catch (TranscodeException | IOException e) {
                throw new SubOperationException("cannot convert " + name(stored) + " to " + name(target) + ": "
                        + e.getMessage(), e);
            }
            Path converted = spool;
            return association.store(record.sopClassUid(), result.sopInstanceUid() != null ? result.sopInstanceUid()
                    : record.sopInstanceUid(), target, out -> Files.copy(converted, out), options);
        } finally {
            if (spool != null) {
                Files.deleteIfExists(spool);
            }
        }
    }

    /**
     * Copies a stored data set as it is, padded to even length: a deflated data set may end on an
     * odd byte in a file, but the message carrying it must not (PS3.5 A.5, PS3.8 9.3.5.1).
     */
    private static void copyEven(InputStream dataSet, OutputStream out) throws IOException {
        if ((dataSet.transferTo(out) & 1) != 0) {
            out.write(0);
        }
    }

    /** The image the stored header describes, or null without Pixel Data. */
    private ImageDescriptor image(InstanceRecord record) throws SubOperationException {
        try (StoredInstance instance = open(record);
             DicomReader reader = DicomReader.open(instance.stream(), ReadOptions.defaults())) {
            DataSet header = reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
            return Transcoding.imageDescriptor(header).orElse(null);
        } catch (IOException | IllegalArgumentException e) {
            throw new SubOperationException("cannot read the stored header: " + e.getMessage(), e);
        }
    }

    private interface StorageRead<T> {
        T read() throws IOException;
    }

    /**
     * Reads the start of a stored object before anything is sent: a failure there fails this
     * sub-operation only, where a failure once the C-STORE has started would end the association.
     */
    private static <T> T readBeforeSending(StorageRead<T> read) throws SubOperationException {
        try {
            return read.read();
        } catch (IOException e) {
            throw new SubOperationException("the stored object cannot be read: " + e.getMessage(), e);
        }
    }

    private StoredInstance open(InstanceRecord record) throws SubOperationException {
        try {
            return archive.open(record.sopInstanceUid());
        } catch (ArchiveException e) {
            throw new SubOperationException("cannot read the stored object: " + e.getMessage(), e);
        }
    }

    /** Implicit and Explicit VR Little Endian, Explicit VR Big Endian, Deflated: what the DICOM library converts. */
    static boolean isUncompressed(String transferSyntaxUid) {
        return TransferSyntax.NATIVE.stream().anyMatch(ts -> ts.uid().equals(transferSyntaxUid));
    }

    private static String name(String transferSyntaxUid) {
        return UidRegistry.nameOf(transferSyntaxUid);
    }
}
