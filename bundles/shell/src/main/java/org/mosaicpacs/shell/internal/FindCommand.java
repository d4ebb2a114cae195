package org.mosaicpacs.shell.internal;

import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.ResponseStream;
import org.mosaicpacs.dicom.net.Status;

/**
 * {@code mosaic:find PEER [KEY=VALUE...]}: C-FIND on a remote AE, the matches as a table whose
 * columns are the keys (the level's usual return keys are added). Study Root unless
 * {@code --patient-root} or the PATIENT level is asked for.
 */
@Service
@Command(scope = "mosaic", name = "find", description = "Queries a remote DICOM node (C-FIND) and prints the matches")
public class FindCommand extends DicomCommandSupport {

    @Argument(index = 1, name = "keys", multiValued = true, description = "matching and return keys, "
            + "e.g. PatientName=TOR* StudyDate=20200101- ModalitiesInStudy (DICOM keywords or gggg,eeee)")
    List<String> keys;

    @Option(name = "--level", aliases = "-L", description = "Query/Retrieve Level: PATIENT, STUDY, SERIES or IMAGE")
    String level = "STUDY";

    @Option(name = "--patient-root", aliases = "-P", description = "use the Patient Root information model")
    boolean patientRoot;

    @Option(name = "--max", description = "stop after this many matches (C-CANCEL)")
    int max = 1000;

    @Override
    public Object execute() throws Exception {
        String lvl = level.strip().toUpperCase(Locale.ROOT);
        QueryKeys query = new QueryKeys(keys).returning(returnKeys(lvl));
        String sopClass = patientRoot || lvl.equals("PATIENT") ? UID.PatientRootQueryRetrieveInformationModelFind
                : UID.StudyRootQueryRetrieveInformationModelFind;
        Peer p = peer();
        ShellTable table = new ShellTable();
        List<Integer> columns = query.tags();
        columns.forEach(tag -> table.column(QueryKeys.title(tag)));
        int matches = 0;
        DimseResponse last;
        try (DicomClient client = client(p);
             Association as = connect(client, p, request(p).presentationContext(sopClass));
             ResponseStream responses = as.find(sopClass, query.identifier(lvl))) {
            while ((last = responses.next()).isPending()) {
                DataSet match = last.dataSet();
                table.addRow().addContent(columns.stream().map(tag -> (Object) QueryKeys.text(match, tag)).toList());
                if (++matches == max) {
                    responses.cancel();
                }
            }
        }
        table.print(System.out);
        System.out.println(matches + (matches == 1 ? " match" : " matches") + " from " + p + ", "
                + outcome(last));
        if (last.isFailure()) {
            throw new IllegalStateException("C-FIND on " + p.aeTitle() + " failed: " + outcome(last));
        }
        return null;
    }

    static String outcome(DimseResponse r) {
        return Status.describe(r.status()) + (r.errorComment() != null ? ": " + r.errorComment() : "");
    }

    private static int[] returnKeys(String level) {
        return switch (level) {
            case "PATIENT" -> new int[] {Tag.PatientID, Tag.PatientName, Tag.PatientBirthDate, Tag.PatientSex,
                    Tag.NumberOfPatientRelatedStudies};
            case "STUDY" -> new int[] {Tag.PatientID, Tag.PatientName, Tag.StudyDate, Tag.AccessionNumber,
                    Tag.StudyDescription, Tag.ModalitiesInStudy, Tag.NumberOfStudyRelatedInstances, Tag.StudyInstanceUID};
            case "SERIES" -> new int[] {Tag.StudyInstanceUID, Tag.SeriesNumber, Tag.Modality, Tag.SeriesDescription,
                    Tag.NumberOfSeriesRelatedInstances, Tag.SeriesInstanceUID};
            case "IMAGE" -> new int[] {Tag.SeriesInstanceUID, Tag.InstanceNumber, Tag.SOPClassUID, Tag.SOPInstanceUID};
            default -> throw new IllegalArgumentException("--level must be PATIENT, STUDY, SERIES or IMAGE, not " + level);
        };
    }
}
