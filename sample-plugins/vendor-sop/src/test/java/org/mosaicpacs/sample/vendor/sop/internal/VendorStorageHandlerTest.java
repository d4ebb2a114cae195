package org.mosaicpacs.sample.vendor.sop.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UidGenerator;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;

/** The handler behind a real acceptor (plain Java), driven by our SCU over loopback. */
class VendorStorageHandlerTest {

    private static final List<StoreRequest> stored = new CopyOnWriteArrayList<>();
    private static DicomServer server;
    private static DicomClient client;

    @BeforeAll
    static void start() throws Exception {
        Archive archive = new Archive() {
            @Override
            public StoreResult store(StoreRequest request, InputStream stream) throws org.mosaicpacs.api.archive.ArchiveException {
                try (DicomReader r = DicomReader.open(stream, org.mosaicpacs.dicom.TransferSyntax.of(request.transferSyntaxUid()),
                        ReadOptions.loadAll())) {
                    DataSet ds = r.readDataSet();
                    stored.add(request);
                    return new StoreResult(StoreResult.Outcome.STORED, new InstanceRecord(ds.getString(Tag.StudyInstanceUID),
                            ds.getString(Tag.SeriesInstanceUID), ds.getString(Tag.SOPInstanceUID), VendorSop.SOP_CLASS_UID,
                            request.transferSyntaxUid(), "fs", "k", 1, "MD5", "0", Instant.EPOCH), List.of());
                } catch (IOException e) {
                    throw new org.mosaicpacs.api.archive.ArchiveException(
                            org.mosaicpacs.api.archive.ArchiveException.Reason.CANNOT_UNDERSTAND, e.getMessage(), e);
                }
            }

            @Override
            public StoredInstance open(String sopInstanceUid) {
                throw new UnsupportedOperationException();
            }
        };
        server = new DicomServer(ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1").port(0)
                .acseTimeout(Duration.ofSeconds(5)).build(),
                DimseHandlerRegistry.of(Map.of(VendorSop.SOP_CLASS_UID, new VendorStorageHandler(archive))));
        server.start();
        client = DicomClient.builder().build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void aCompleteVendorObjectIsStored() throws Exception {
        DataSet ds = vendorObject(true, true);
        try (Association as = associate()) {
            DimseResponse rsp = as.store(VendorSop.SOP_CLASS_UID, ds.getString(Tag.SOPInstanceUID), ds);
            assertThat(rsp.status()).as(rsp.errorComment()).isEqualTo(Status.SUCCESS);
        }
        assertThat(stored).anyMatch(r -> r.expectedSopInstanceUid().equals(ds.getString(Tag.SOPInstanceUID))
                && r.callingAeTitle().equals("ACMESCU"));
    }

    @Test
    void missingVendorAttributesGetA900NamingThem() throws Exception {
        DataSet noBlock = vendorObject(false, true);
        DataSet noSerial = vendorObject(true, false);
        noSerial.remove(Tag.Manufacturer);
        try (Association as = associate()) {
            DimseResponse a = as.store(VendorSop.SOP_CLASS_UID, noBlock.getString(Tag.SOPInstanceUID), noBlock);
            assertThat(a.status()).isEqualTo(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS);
            assertThat(a.errorComment()).isEqualTo("ACME: private block ACME RAW 1.0 missing");
            assertThat(a.command().getInts(Tag.OffendingElement)).containsExactly(0x00190010);

            DimseResponse b = as.store(VendorSop.SOP_CLASS_UID, noSerial.getString(Tag.SOPInstanceUID), noSerial);
            assertThat(b.status()).isEqualTo(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS);
            assertThat(b.errorComment()).isEqualTo("ACME: Manufacturer must be ACME, Device Serial Number missing");
            assertThat(b.command().getInts(Tag.OffendingElement)).containsExactly(Tag.Manufacturer, Tag.DeviceSerialNumber);
        }
        assertThat(stored).noneMatch(r -> r.expectedSopInstanceUid().equals(noBlock.getString(Tag.SOPInstanceUID)));
    }

    private static Association associate() throws IOException {
        return client.connect("127.0.0.1", server.port(),
                AAssociateRq.builder("MOSAIC", "ACMESCU").presentationContext(VendorSop.SOP_CLASS_UID).build());
    }

    /** A vendor object, with or without the private block and the device serial number. */
    static DataSet vendorObject(boolean privateBlock, boolean serial) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, VendorSop.SOP_CLASS_UID);
        ds.setString(Tag.SOPInstanceUID, VR.UI, UidGenerator.newUid());
        ds.setString(Tag.StudyInstanceUID, VR.UI, UidGenerator.newUid());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, UidGenerator.newUid());
        ds.setString(Tag.PatientID, VR.LO, "ACME-1");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.Manufacturer, VR.LO, "ACME");
        if (serial) {
            ds.setString(Tag.DeviceSerialNumber, VR.LO, "SN-42");
        }
        if (privateBlock) {
            int version = ds.privateTag(VendorSop.PRIVATE_CREATOR, VendorSop.PRIVATE_GROUP << 16 | VendorSop.PROTOCOL_VERSION, true);
            ds.setString(version, VR.LO, "3.2");
            ds.setString(version + 1, VR.LO, "DET-7");
        }
        return ds;
    }
}
