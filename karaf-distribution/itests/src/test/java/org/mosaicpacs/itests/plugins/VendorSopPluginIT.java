package org.mosaicpacs.itests.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UidGenerator;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;

/**
 * The sample vendor SOP plugin in the distribution: its private storage SOP class is refused
 * before {@code feature:install}, accepted after; objects without the vendor's attributes get
 * A900 with the plugin's Error Comment and Offending Element; good ones are stored and found by
 * QIDO-RS; after {@code feature:uninstall} the SOP class is refused again.
 */
@ExtendWith(SharedMosaicServer.class)
class VendorSopPluginIT {

    /** The sample's SOP class (sample-plugins/vendor-sop VendorSop.SOP_CLASS_UID). */
    static final String VENDOR_SOP_CLASS = "2.25.143386390196214745018843061307946613287";
    private static final String FEATURE = "mosaic-sample-vendor-sop";

    @Test
    void thePrivateSopClassIsAcceptedOnlyWhileThePluginIsInstalled(MosaicServer server) throws Exception {
        try (DicomClient client = DicomClient.builder().connectTimeout(Duration.ofSeconds(10)).build()) {
            assertThat(accepted(client, server)).as("before the plugin").isFalse();

            server.shell("feature:install " + FEATURE);
            DataSet good = vendorObject(true);
            DataSet bad = vendorObject(false);
            try {
                PluginTests.await(Duration.ofSeconds(30), () -> accepted(client, server), a -> a, "vendor SOP class accepted");
                try (Association as = associate(client, server)) {
                    DimseResponse ok = as.store(VENDOR_SOP_CLASS, good.getString(Tag.SOPInstanceUID), good);
                    assertThat(ok.status()).as(ok.errorComment()).isEqualTo(Status.SUCCESS);
                    DimseResponse refused = as.store(VENDOR_SOP_CLASS, bad.getString(Tag.SOPInstanceUID), bad);
                    assertThat(refused.status()).isEqualTo(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS);
                    assertThat(refused.errorComment()).isEqualTo("ACME: private block ACME RAW 1.0 missing");
                    assertThat(refused.command().getInts(Tag.OffendingElement)).containsExactly(0x00190010);
                }
                assertThat(PluginTests.storedFile(server, good.getString(Tag.SOPInstanceUID))).exists();
            } finally {
                server.shell("feature:uninstall " + FEATURE);
            }
            PluginTests.await(Duration.ofSeconds(30), () -> accepted(client, server), a -> !a, "vendor SOP class refused again");

            // what was stored stays in the archive and is found like any object
            String qido = PluginTests.getJson(server, "/dicom-web/studies/" + good.getString(Tag.StudyInstanceUID)
                    + "/instances");
            assertThat(qido).startsWith("200").contains(good.getString(Tag.SOPInstanceUID)).contains(VENDOR_SOP_CLASS);
            assertThat(PluginTests.getJson(server, "/dicom-web/studies?StudyInstanceUID=" + bad.getString(Tag.StudyInstanceUID)))
                    .as("the refused object was not stored").doesNotContain(bad.getString(Tag.StudyInstanceUID));
        }
    }

    private static boolean accepted(DicomClient client, MosaicServer server) {
        try (Association as = associate(client, server)) {
            return !as.acceptedContexts(VENDOR_SOP_CLASS).isEmpty();
        } catch (Exception e) {
            throw new AssertionError("association failed: " + e, e);
        }
    }

    private static Association associate(DicomClient client, MosaicServer server) throws java.io.IOException {
        return client.connect("127.0.0.1", server.dicomPort(),
                AAssociateRq.builder("MOSAIC", "ACMESCU").presentationContext(VENDOR_SOP_CLASS).build());
    }

    private static DataSet vendorObject(boolean withPrivateBlock) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, VENDOR_SOP_CLASS);
        ds.setString(Tag.SOPInstanceUID, VR.UI, UidGenerator.newUid());
        ds.setString(Tag.StudyInstanceUID, VR.UI, UidGenerator.newUid());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, UidGenerator.newUid());
        ds.setString(Tag.PatientID, VR.LO, "ACME-IT");
        ds.setString(Tag.PatientName, VR.PN, "Vendor^Test");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.Manufacturer, VR.LO, "ACME");
        ds.setString(Tag.DeviceSerialNumber, VR.LO, "SN-42");
        if (withPrivateBlock) {
            int version = ds.privateTag("ACME RAW 1.0", 0x00190010, true);
            ds.setString(version, VR.LO, "3.2");
            ds.setString(version + 1, VR.LO, "DET-7");
        }
        return ds;
    }
}
