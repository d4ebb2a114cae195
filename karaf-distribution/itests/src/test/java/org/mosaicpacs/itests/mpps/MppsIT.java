package org.mosaicpacs.itests.mpps;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The feature {@code mosaic-mpps} in the real distribution: a modality's N-CREATE, N-SET and
 * N-SET COMPLETED on the DICOM port are stored in the index database (Derby through pax-jdbc) and
 * shown by {@code /api/mpps} with the series they list; a later N-SET gets 0110. On the shared
 * server: the feature is installed at run time (a no-op when {@code mosaic} includes it), which
 * only adds a DIMSE handler and a REST resource, and also shows that installing it leaves the
 * REST API answering.
 */
@ExtendWith(SharedMosaicServer.class)
class MppsIT {

    private static final String MPPS = UID.ModalityPerformedProcedureStep;
    private static final String STUDY_UID = "1.2.826.0.1.3680043.10.543.11.1";
    private static final String SERIES_UID = "1.2.826.0.1.3680043.10.543.11.2";

    @Test
    void aModalityReportsAStepAndRestShowsIt(MosaicServer server) throws Exception {
        server.shell("feature:install mosaic-mpps");
        awaitResource(server);
        assertThat(server.get("/api/health").statusCode()).isEqualTo(200);
        String uid;
        try (DicomClient client = DicomClient.builder().build();
             Association association = client.connect("127.0.0.1", server.dicomPort(),
                     AAssociateRq.builder("MOSAIC", "MPPS_IT").presentationContext(MPPS, UID.ExplicitVRLittleEndian).build())) {
            DimseResponse created = association.nCreate(MPPS, null, create());
            assertThat(created.status()).isEqualTo(Status.SUCCESS);
            uid = created.command().getString(Tag.AffectedSOPInstanceUID);
            assertThat(association.nSet(MPPS, uid, completed()).status()).isEqualTo(Status.SUCCESS);
            DimseResponse late = association.nSet(MPPS, uid, completed());
            assertThat(late.status()).isEqualTo(Status.PROCESSING_FAILURE);
            assertThat(late.errorComment()).isEqualTo("Performed Procedure Step Object may no longer be updated");
            association.release();
        }

        JsonNode step = json(server.get("/api/mpps/" + uid), 200);
        assertThat(step.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(step.get("studyInstanceUids").get(0).asText()).isEqualTo(STUDY_UID);
        assertThat(step.get("seriesInstanceUids").get(0).asText()).isEqualTo(SERIES_UID);
        assertThat(step.get("dataset").get("00100010").get("Value").get(0).get("Alphabetic").asText())
                .isEqualTo("Kim^Minjun");
        JsonNode list = json(server.get("/api/mpps?status=COMPLETED&study=" + STUDY_UID), 200);
        assertThat(list.get("items")).hasSize(1);
        assertThat(list.get("items").get(0).get("sopInstanceUid").asText()).isEqualTo(uid);
        assertThat(server.get("/api/mpps/1.2.3.404").statusCode()).isEqualTo(404);
    }

    private static void awaitResource(MosaicServer server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status = -1;
        while (System.nanoTime() < deadline) {
            status = server.get("/api/mpps").statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("/api/mpps answered " + status + " instead of 200 within 60 s");
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return new ObjectMapper().readTree(response.body());
    }

    /** The Type 1 and Type 2 attributes of PS3.4 Table F.7.2-1 for an N-CREATE. */
    private static DataSet create() {
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        DataSet sched = ds.newSequence(Tag.ScheduledStepAttributesSequence).addNewItem();
        sched.setString(Tag.StudyInstanceUID, VR.UI, STUDY_UID);
        sched.newSequence(Tag.ReferencedStudySequence);
        sched.setString(Tag.AccessionNumber, VR.SH, "ACC-IT-1");
        sched.setString(Tag.RequestedProcedureID, VR.SH, "RP-IT-1");
        sched.setNull(Tag.RequestedProcedureDescription, VR.LO);
        sched.setString(Tag.ScheduledProcedureStepID, VR.SH, "SPS-IT-1");
        sched.setNull(Tag.ScheduledProcedureStepDescription, VR.LO);
        sched.newSequence(Tag.ScheduledProtocolCodeSequence);
        ds.setString(Tag.PatientName, VR.PN, "Kim^Minjun");
        ds.setString(Tag.PatientID, VR.LO, "IT-PID-1");
        ds.setNull(Tag.PatientBirthDate, VR.DA);
        ds.setNull(Tag.PatientSex, VR.CS);
        ds.newSequence(Tag.ReferencedPatientSequence);
        ds.setString(Tag.PerformedProcedureStepID, VR.SH, "PPS-IT-1");
        ds.setString(Tag.PerformedStationAETitle, VR.AE, "IT_CT");
        ds.setNull(Tag.PerformedStationName, VR.SH);
        ds.setNull(Tag.PerformedLocation, VR.SH);
        ds.setString(Tag.PerformedProcedureStepStartDate, VR.DA, "20260301");
        ds.setString(Tag.PerformedProcedureStepStartTime, VR.TM, "090000");
        ds.setString(Tag.PerformedProcedureStepStatus, VR.CS, "IN PROGRESS");
        ds.setNull(Tag.PerformedProcedureStepDescription, VR.LO);
        ds.setNull(Tag.PerformedProcedureTypeDescription, VR.LO);
        ds.newSequence(Tag.ProcedureCodeSequence);
        ds.setNull(Tag.PerformedProcedureStepEndDate, VR.DA);
        ds.setNull(Tag.PerformedProcedureStepEndTime, VR.TM);
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setNull(Tag.StudyID, VR.SH);
        ds.newSequence(Tag.PerformedProtocolCodeSequence);
        ds.newSequence(Tag.PerformedSeriesSequence);
        return ds;
    }

    /** The N-SET that completes the step: end date and time, one performed series. */
    private static DataSet completed() {
        DataSet ds = new DataSet();
        ds.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
        ds.setString(Tag.PerformedProcedureStepEndDate, VR.DA, "20260301");
        ds.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "091500");
        DataSet series = ds.newSequence(Tag.PerformedSeriesSequence).addNewItem();
        series.setNull(Tag.PerformingPhysicianName, VR.PN);
        series.setString(Tag.ProtocolName, VR.LO, "Head routine");
        series.setNull(Tag.OperatorsName, VR.PN);
        series.setString(Tag.SeriesInstanceUID, VR.UI, SERIES_UID);
        series.setNull(Tag.SeriesDescription, VR.LO);
        series.setNull(Tag.RetrieveAETitle, VR.AE);
        series.newSequence(Tag.ReferencedImageSequence);
        series.newSequence(Tag.ReferencedNonImageCompositeSOPInstanceSequence);
        return ds;
    }
}
