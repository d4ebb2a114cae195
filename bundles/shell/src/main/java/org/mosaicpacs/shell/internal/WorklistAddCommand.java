package org.mosaicpacs.shell.internal;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.mosaicpacs.api.worklist.WorklistItem;
import org.mosaicpacs.api.worklist.WorklistStore;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.json.DicomJsonReader;

/**
 * {@code mosaic:worklist-add [FILE] [--patient-id ...]}: schedules a procedure step on the Modality
 * Worklist, from a DICOM JSON file (PS3.18 F) and/or options; options override the file's values.
 * The store fills in Study Instance UID, Requested Procedure ID, SPS ID and status SCHEDULED when
 * they are absent.
 */
@Service
@Command(scope = "mosaic", name = "worklist-add", description = "Schedules a procedure step on the Modality Worklist")
public class WorklistAddCommand implements Action {

    @Reference
    WorklistStore store;

    @Argument(index = 0, name = "file", description = "a DICOM JSON file holding the item (one data set with "
            + "its Scheduled Procedure Step Sequence)")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--patient-id", description = "Patient ID (0010,0020)")
    String patientId;

    @Option(name = "--patient-name", description = "Patient's Name (0010,0010), e.g. DOE^JOHN")
    String patientName;

    @Option(name = "--birth-date", description = "Patient's Birth Date (0010,0030), YYYYMMDD")
    String birthDate;

    @Option(name = "--sex", description = "Patient's Sex (0010,0040): M, F or O")
    String sex;

    @Option(name = "--accession", description = "Accession Number (0008,0050)")
    String accession;

    @Option(name = "--procedure", description = "Requested Procedure Description (0032,1060)")
    String procedure;

    @Option(name = "--modality", aliases = "-m", description = "Modality (0008,0060) of the step, e.g. CT")
    String modality;

    @Option(name = "--station", aliases = "-s", description = "Scheduled Station AE Title (0040,0001)")
    String station;

    @Option(name = "--date", aliases = "-d", description = "Scheduled Procedure Step Start Date (0040,0002), YYYYMMDD")
    String date;

    @Option(name = "--time", aliases = "-t", description = "Scheduled Procedure Step Start Time (0040,0003), HHMM[SS]")
    String time;

    @Option(name = "--physician", description = "Scheduled Performing Physician's Name (0040,0006)")
    String physician;

    @Option(name = "--description", description = "Scheduled Procedure Step Description (0040,0007)")
    String description;

    @Override
    public Object execute() throws Exception {
        DataSet item = file == null ? new DataSet() : read(Path.of(file));
        Sequence steps = item.getSequence(Tag.ScheduledProcedureStepSequence);
        if (steps == null) {
            steps = item.newSequence(Tag.ScheduledProcedureStepSequence);
        }
        DataSet step = steps.isEmpty() ? steps.addNewItem() : steps.get(0);
        set(item, Tag.PatientID, VR.LO, patientId);
        set(item, Tag.PatientName, VR.PN, patientName);
        set(item, Tag.PatientBirthDate, VR.DA, birthDate);
        set(item, Tag.PatientSex, VR.CS, sex);
        set(item, Tag.AccessionNumber, VR.SH, accession);
        set(item, Tag.RequestedProcedureDescription, VR.LO, procedure);
        set(step, Tag.Modality, VR.CS, modality);
        set(step, Tag.ScheduledStationAETitle, VR.AE, station);
        set(step, Tag.ScheduledProcedureStepStartDate, VR.DA, date);
        set(step, Tag.ScheduledProcedureStepStartTime, VR.TM, time);
        set(step, Tag.ScheduledPerformingPhysicianName, VR.PN, physician);
        set(step, Tag.ScheduledProcedureStepDescription, VR.LO, description);
        WorklistItem stored = store.create(item);
        DataSet sps = stored.attributes().getSequence(Tag.ScheduledProcedureStepSequence).get(0);
        System.out.println("Worklist item " + stored.id() + ": SPS ID " + sps.getString(Tag.ScheduledProcedureStepID)
                + ", Requested Procedure ID " + stored.attributes().getString(Tag.RequestedProcedureID)
                + ", Study Instance UID " + stored.attributes().getString(Tag.StudyInstanceUID));
        return null;
    }

    private static DataSet read(Path path) throws Exception {
        try (InputStream in = Files.newInputStream(path)) {
            return DicomJsonReader.readDataSet(in);
        }
    }

    private static void set(DataSet ds, int tag, VR vr, String value) {
        if (value != null) {
            ds.setString(tag, vr, value.strip());
        }
    }
}
