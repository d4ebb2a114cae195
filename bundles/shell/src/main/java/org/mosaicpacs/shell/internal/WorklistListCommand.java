package org.mosaicpacs.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.api.worklist.WorklistItem;
import org.mosaicpacs.api.worklist.WorklistStore;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * {@code mosaic:worklist-list [--modality CT] [--date 20261201-] ...}: the worklist items matching
 * the filters (C-FIND matching: wild cards, date ranges), in order of scheduled start.
 */
@Service
@Command(scope = "mosaic", name = "worklist-list", description = "Lists the Modality Worklist items")
public class WorklistListCommand implements Action {

    @Reference
    WorklistStore store;

    @Option(name = "--patient-id", description = "Patient ID, wild cards * and ? allowed")
    String patientId;

    @Option(name = "--patient-name", description = "Patient's Name, wild cards allowed, case ignored")
    String patientName;

    @Option(name = "--accession", description = "Accession Number")
    String accession;

    @Option(name = "--modality", aliases = "-m", description = "Modality of the step")
    String modality;

    @Option(name = "--station", aliases = "-s", description = "Scheduled Station AE Title")
    String station;

    @Option(name = "--date", aliases = "-d", description = "start date or range: 20261201, 20261201-20261207, 20261201-")
    String date;

    @Option(name = "--status", description = "Scheduled Procedure Step Status, e.g. SCHEDULED")
    String status;

    @Option(name = "--limit", description = "the most items to list")
    int limit = 100;

    @Option(name = "--offset", description = "items to skip first")
    int offset;

    @Override
    public Object execute() throws Exception {
        DataSet keys = new DataSet();
        DataSet step = keys.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        set(keys, Tag.PatientID, VR.LO, patientId);
        set(keys, Tag.PatientName, VR.PN, patientName);
        set(keys, Tag.AccessionNumber, VR.SH, accession);
        set(step, Tag.Modality, VR.CS, modality);
        set(step, Tag.ScheduledStationAETitle, VR.AE, station);
        set(step, Tag.ScheduledProcedureStepStartDate, VR.DA, date);
        set(step, Tag.ScheduledProcedureStepStatus, VR.CS, status);
        List<WorklistItem> items = store.find(keys, offset, limit);
        ShellTable table = new ShellTable();
        for (String column : List.of("Id", "Start", "Modality", "Station", "Patient ID", "Patient name", "Accession",
                "SPS ID", "Status")) {
            table.column(column);
        }
        for (WorklistItem item : items) {
            DataSet a = item.attributes();
            DataSet s = a.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
            table.addRow().addContent(item.id(),
                    (s.getString(Tag.ScheduledProcedureStepStartDate, "") + " "
                            + s.getString(Tag.ScheduledProcedureStepStartTime, "")).strip(),
                    s.getString(Tag.Modality, ""), String.join("\\", s.getStrings(Tag.ScheduledStationAETitle)),
                    a.getString(Tag.PatientID, ""), a.getString(Tag.PatientName, ""), a.getString(Tag.AccessionNumber, ""),
                    s.getString(Tag.ScheduledProcedureStepID, ""), s.getString(Tag.ScheduledProcedureStepStatus, ""));
        }
        table.print(System.out);
        System.out.println(items.size() + (items.size() == 1 ? " item" : " items")
                + (items.size() == limit ? " (limit reached: --limit, --offset for more)" : ""));
        return null;
    }

    private static void set(DataSet ds, int tag, VR vr, String value) {
        if (value != null && !value.isBlank()) {
            ds.setString(tag, vr, value.strip());
        }
    }
}
