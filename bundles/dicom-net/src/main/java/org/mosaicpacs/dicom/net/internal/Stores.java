package org.mosaicpacs.dicom.net.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Fragments;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.net.DataSetWriter;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.NoPresentationContextException;
import org.mosaicpacs.dicom.net.PresentationContextResult;
import org.mosaicpacs.dicom.net.StoreOptions;

/** The C-STORE variants of {@link AssociationImpl}: from a Part 10 file (streamed) and from memory. */
final class Stores {

    private static final int COPY_BUFFER = 64 * 1024;

    private Stores() {
    }

    static void applyOptions(DataSet command, StoreOptions options) {
        command.setInt(Tag.Priority, VR.US, options.priority());
        if (options.moveOriginatorAeTitle() != null) {
            command.setString(Tag.MoveOriginatorApplicationEntityTitle, VR.AE, options.moveOriginatorAeTitle());
            command.setInt(Tag.MoveOriginatorMessageID, VR.US, options.moveOriginatorMessageId());
        }
    }

    static DimseResponse storeFile(AssociationImpl association, Path file, StoreOptions options)
            throws IOException, InterruptedException {
        String sopClass;
        String sopInstance;
        TransferSyntax fileSyntax;
        long dataSetStart;
        try (DicomReader meta = DicomReader.open(file, ReadOptions.defaults())) {
            DataSet fmi = meta.fileMetaInformation();
            if (fmi == null) {
                throw new IOException(file + " has no File Meta Information: cannot tell its SOP class and instance");
            }
            sopClass = fmi.getString(Tag.MediaStorageSOPClassUID);
            sopInstance = fmi.getString(Tag.MediaStorageSOPInstanceUID);
            if (sopClass == null || sopInstance == null) {
                throw new IOException(file + " lacks Media Storage SOP Class or Instance UID in its meta information");
            }
            fileSyntax = meta.transferSyntax();
            dataSetStart = meta.dataSetPosition();
        }
        List<PresentationContextResult> contexts = association.acceptedContexts(sopClass);
        PresentationContextResult chosen = null;
        for (PresentationContextResult pc : contexts) {
            if (pc.transferSyntax().equals(fileSyntax.uid())) {
                chosen = pc;
                break;
            }
        }
        DataSetWriter writer;
        if (chosen != null) {
            writer = out -> copyFrom(file, dataSetStart, out);
        } else {
            if (fileSyntax.encapsulated()) {
                throw new NoPresentationContextException("no presentation context for " + sopClass + " accepts "
                        + fileSyntax.name() + ", the transfer syntax of " + file.getFileName() + " (transcode it first)");
            }
            chosen = contexts.stream().filter(pc -> !TransferSyntax.of(pc.transferSyntax()).encapsulated()).findFirst()
                    .orElseThrow(() -> new NoPresentationContextException("no presentation context for " + sopClass
                            + " with an uncompressed transfer syntax was accepted by " + association.remoteAeTitle()));
            TransferSyntax target = TransferSyntax.of(chosen.transferSyntax());
            writer = out -> {
                try (DicomReader reader = DicomReader.open(file, ReadOptions.defaults())) {
                    DicomWriter w = DicomWriter.create(out, target, WriteOptions.defaults());
                    w.transcode(reader);
                    w.finish();
                }
            };
        }
        PresentationContextResult pc = chosen;
        return association.invoke(Dimse.C_STORE_RQ, pc.id(), sopClass, sopInstance, cmd -> applyOptions(cmd, options),
                writer).finalResponse();
    }

    private static void copyFrom(Path file, long start, java.io.OutputStream out) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(start);
            InputStream in = Channels.newInputStream(ch);
            byte[] buf = new byte[COPY_BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        }
    }

    static DimseResponse storeDataSet(AssociationImpl association, String sopClass, String sopInstance, DataSet dataSet)
            throws IOException, InterruptedException {
        boolean encapsulated = dataSet.getValue(Tag.PixelData) instanceof Fragments;
        PresentationContextResult pc = association.acceptedContexts(sopClass).stream()
                .filter(c -> TransferSyntax.of(c.transferSyntax()).encapsulated() == encapsulated)
                .findFirst()
                .orElseThrow(() -> new NoPresentationContextException("no presentation context for " + sopClass + " with "
                        + (encapsulated ? "an encapsulated" : "an uncompressed") + " transfer syntax was accepted by "
                        + association.remoteAeTitle()));
        return association.invoke(Dimse.C_STORE_RQ, pc.id(), sopClass, sopInstance,
                cmd -> applyOptions(cmd, StoreOptions.DEFAULT), DataSets.writer(dataSet, pc.transferSyntax()))
                .finalResponse();
    }
}
