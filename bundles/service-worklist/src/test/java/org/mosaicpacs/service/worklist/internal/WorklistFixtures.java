package org.mosaicpacs.service.worklist.internal;

import java.util.List;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/** Worklist items the tests share: Latin and Korean names, several modalities, stations, days and times. */
final class WorklistFixtures {

    static final String KOREAN = "\\ISO 2022 IR 149";

    private WorklistFixtures() {
    }

    /** The nine items of the interoperability table (the Korean ones carry {@value #KOREAN}). */
    static List<DataSet> items() {
        return List.of(
                item(1, "Hong^Gildong=洪^吉洞=홍^길동", "19700101", "M", "CT", "CT1", "20261201", "083000", "SMITH^JOHN"),
                item(2, "Kim^Chulsu=金^哲洙=김^철수", "19800202", "M", "MR", "MR1", "20261201", "140000", "SMITH^JANE"),
                item(3, "DOE^JOHN", "19650303", "M", "CT", "CT1", "20261202", "090000", "JONES^ALAN"),
                item(4, "DOE^JANE", "19700404", "F", "MR", "MR1", "20261202", "220000", "JONES^ALAN"),
                item(5, "DOERING^PETER", "19900505", "M", "US", "US1", "20261203", "010000", "WHITE^EMMA"),
                item(6, "MUELLER^HANS", "19550606", "M", "CR", "CR1", "20261130", "103000", "WHITE^EMMA"),
                item(7, "SMITH^ANNA", "20000707", "F", "CT", "CT2", "20261205", "120000", "SMITH^JOHN"),
                item(8, "BROWN^MARY", "19450808", "F", "MG", "MG1", "20270115", "080000", "GREEN^PAUL"),
                item(9, "Lee^Minho=李^敏鎬=이^민호", "19880909", "M", "CT", "CT1", "20261202", "160000", "JONES^ALAN"));
    }

    static DataSet item(int n, String name, String birthDate, String sex, String modality, String station,
                        String date, String time, String physician) {
        DataSet ds = new DataSet();
        if (name.indexOf('=') >= 0) {
            ds.setString(Tag.SpecificCharacterSet, VR.CS, "", "ISO 2022 IR 149");
        }
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC00" + n);
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "REFERRER^" + (char) ('A' + n));
        ds.setString(Tag.PatientName, VR.PN, name);
        ds.setString(Tag.PatientID, VR.LO, "PID00" + n);
        ds.setString(Tag.PatientBirthDate, VR.DA, birthDate);
        ds.setString(Tag.PatientSex, VR.CS, sex);
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1234." + n);
        ds.setString(Tag.RequestedProcedureDescription, VR.LO, modality + " EXAM " + n);
        DataSet step = ds.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        step.setString(Tag.Modality, VR.CS, modality);
        step.setString(Tag.ScheduledStationAETitle, VR.AE, station);
        step.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, date);
        step.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, time);
        step.setString(Tag.ScheduledPerformingPhysicianName, VR.PN, physician);
        step.setString(Tag.ScheduledProcedureStepDescription, VR.LO, modality + " STEP " + n);
        step.setString(Tag.ScheduledProcedureStepID, VR.SH, "SPS00" + n);
        step.setString(Tag.ScheduledStationName, VR.SH, station + "_ROOM");
        ds.setString(Tag.RequestedProcedureID, VR.SH, "RP00" + n);
        ds.setString(Tag.RequestedProcedurePriority, VR.SH, n % 2 == 0 ? "HIGH" : "ROUTINE");
        return ds;
    }
}
