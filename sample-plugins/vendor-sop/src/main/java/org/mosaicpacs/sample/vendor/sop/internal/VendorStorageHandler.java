package org.mosaicpacs.sample.vendor.sop.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerProperties;
import org.mosaicpacs.dicom.net.handler.DimseRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C-STORE SCP for the vendor's private SOP class {@value VendorSop#SOP_CLASS_UID}. While this
 * bundle is active the node's acceptor offers the SOP class; without it associations proposing
 * it get the presentation context rejected (abstract syntax not supported).
 *
 * <p>Before storing, the handler checks what the vendor requires: Manufacturer (0008,0070)
 * "ACME", a Device Serial Number (0018,1000), and the private block {@value VendorSop#PRIVATE_CREATOR}
 * in group 0019 with its protocol version and detector ID. The data set is spooled to a temporary
 * file first (never held in memory), its header validated, then the file streamed into the archive.
 *
 * <p>Statuses (PS3.4 B.2.3):
 * <ul>
 * <li>0000 Success; B000 when the archive coerced attributes;</li>
 * <li>A900 Data Set does not match SOP Class: a required vendor attribute is missing or wrong;
 *     the Error Comment names it and Offending Element (0000,0901) lists the tags;</li>
 * <li>C000 Cannot understand: the data set cannot be parsed;</li>
 * <li>A700 Out of Resources, 0111 Duplicate SOP Instance, 0110 Processing failure: from the archive;</li>
 * <li>0211 Unrecognized Operation for anything but C-STORE.</li>
 * </ul>
 */
@Component(service = DimseHandler.class)
@DimseHandlerProperties(sopclass = VendorSop.SOP_CLASS_UID)
public class VendorStorageHandler implements DimseHandler {

    private static final Logger LOG = LoggerFactory.getLogger(VendorStorageHandler.class);

    private final Archive archive;

    @Activate
    public VendorStorageHandler(@Reference Archive archive) {
        this.archive = archive;
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context) throws DimseStatusException {
        if (request.dimse() != Dimse.C_STORE_RQ) {
            throw new DimseStatusException(Status.UNRECOGNIZED_OPERATION, request.dimse() + " is not served for this SOP class");
        }
        Path spool = null;
        try {
            spool = Files.createTempFile("mosaic-vendor-sop-", ".dcm");
            try (InputStream in = request.dataStream(); OutputStream out = Files.newOutputStream(spool)) {
                in.transferTo(out);
            }
            validate(spool, TransferSyntax.of(request.transferSyntax()));
            Association a = context.association();
            StoreRequest store = new StoreRequest("DIMSE", a.callingAeTitle(), a.calledAeTitle(),
                    a.remoteAddress() == null ? null : a.remoteAddress().getAddress().getHostAddress(),
                    request.transferSyntax(), false, request.sopClassUid(), request.sopInstanceUid());
            StoreResult result;
            try (InputStream in = Files.newInputStream(spool)) {
                result = archive.store(store, in);
            }
            LOG.info("Stored vendor object from {} ({})", a.callingAeTitle(), result.outcome());
            return result.warnings().isEmpty() ? DimseResponse.success()
                    : DimseResponse.of(Status.COERCION_OF_DATA_ELEMENTS).withErrorComment(String.join("; ", result.warnings()));
        } catch (ArchiveException e) {
            throw new DimseStatusException(status(e.reason()), e.getMessage());
        } catch (DicomParseException e) {
            throw new DimseStatusException(Status.CANNOT_UNDERSTAND, "cannot parse the data set: " + e.getMessage());
        } catch (IOException e) {
            throw new DimseStatusException(Status.PROCESSING_FAILURE, "cannot spool the data set: " + e.getMessage(), e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    LOG.warn("Cannot delete spool file {}: {}", spool, e.getMessage());
                }
            }
        }
    }

    /** Checks the vendor's required attributes; A900 with the offending tags if one is missing or wrong. */
    static void validate(Path dataSet, TransferSyntax syntax) throws IOException, DimseStatusException {
        DataSet header;
        try (InputStream in = Files.newInputStream(dataSet);
             DicomReader reader = DicomReader.open(in, syntax, ReadOptions.defaults())) {
            header = reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
        }
        List<String> problems = new ArrayList<>();
        List<Integer> offending = new ArrayList<>();
        if (!"ACME".equals(header.getString(Tag.Manufacturer))) {
            problems.add("Manufacturer must be ACME");
            offending.add(Tag.Manufacturer);
        }
        if (blank(header.getString(Tag.DeviceSerialNumber))) {
            problems.add("Device Serial Number missing");
            offending.add(Tag.DeviceSerialNumber);
        }
        int block = header.privateTag(VendorSop.PRIVATE_CREATOR, VendorSop.PRIVATE_GROUP << 16 | VendorSop.PROTOCOL_VERSION,
                false);
        if (block < 0) {
            problems.add("private block " + VendorSop.PRIVATE_CREATOR + " missing");
            offending.add(VendorSop.PRIVATE_GROUP << 16 | 0x0010);
        } else {
            int detector = block - VendorSop.PROTOCOL_VERSION + VendorSop.DETECTOR_ID;
            if (blank(header.getString(block))) {
                problems.add("protocol version missing");
                offending.add(block);
            }
            if (blank(header.getString(detector))) {
                problems.add("detector ID missing");
                offending.add(detector);
            }
        }
        if (!problems.isEmpty()) {
            int[] tags = offending.stream().mapToInt(Integer::intValue).toArray();
            throw new DimseStatusException(DimseResponse.of(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS)
                    .withErrorComment("ACME: " + String.join(", ", problems)).withOffendingElements(tags));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The C-STORE status for each reason the archive gives. */
    static int status(ArchiveException.Reason reason) {
        return switch (reason) {
            case OUT_OF_RESOURCES -> Status.OUT_OF_RESOURCES;
            case CANNOT_UNDERSTAND -> Status.CANNOT_UNDERSTAND;
            case DATA_SET_MISMATCH, MISSING_ATTRIBUTE -> Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS;
            case DUPLICATE_REJECTED -> Status.DUPLICATE_SOP_INSTANCE;
            case REJECTED_INSTANCE -> Status.NOT_AUTHORIZED; // refused again after an IOCM rejection note (SDK 1.2)
            case NOT_FOUND, PROCESSING_FAILURE -> Status.PROCESSING_FAILURE;
            // a reason added by a later SDK minor version must not fail the plugin
            default -> Status.PROCESSING_FAILURE;
        };
    }
}
