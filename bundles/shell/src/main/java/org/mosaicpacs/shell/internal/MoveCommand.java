package org.mosaicpacs.shell.internal;

import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseResponse.SubOperations;
import org.mosaicpacs.dicom.net.ResponseStream;

/**
 * {@code mosaic:move PEER KEY=VALUE...}: asks a remote AE to send what the unique keys name
 * (C-MOVE) to a destination, by default this node (our AE title, so the objects are archived
 * here). Prints the sub-operation counts as they come and the failed SOP Instance UIDs.
 */
@Service
@Command(scope = "mosaic", name = "move", description = "Retrieves from a remote DICOM node with C-MOVE "
        + "(to this node unless --dest is given)")
public class MoveCommand extends DicomCommandSupport {

    @Argument(index = 1, name = "keys", required = true, multiValued = true, description = "unique keys of what to "
            + "move, e.g. StudyInstanceUID=1.2.3 (a list: 1.2.3\\1.2.4), PatientID=X at PATIENT level")
    List<String> keys;

    @Option(name = "--level", aliases = "-L", description = "Query/Retrieve Level: PATIENT, STUDY, SERIES or IMAGE")
    String level = "STUDY";

    @Option(name = "--patient-root", aliases = "-P", description = "use the Patient Root information model")
    boolean patientRoot;

    @Option(name = "--dest", description = "the Move Destination AE title (default: our AE title)")
    String destination;

    @Override
    public Object execute() throws Exception {
        String lvl = level.strip().toUpperCase(Locale.ROOT);
        QueryKeys query = new QueryKeys(keys);
        String sopClass = patientRoot || lvl.equals("PATIENT") ? UID.PatientRootQueryRetrieveInformationModelMove
                : UID.StudyRootQueryRetrieveInformationModelMove;
        String dest = destination == null || destination.isBlank() ? callingAeTitle() : destination.strip();
        Peer p = peer();
        DimseResponse last;
        Progress progress = new Progress(System.out);
        try (DicomClient client = client(p);
             Association as = connect(client, p, request(p).presentationContext(sopClass));
             ResponseStream responses = as.move(sopClass, dest, query.identifier(lvl))) {
            while ((last = responses.next()).isPending()) {
                SubOperations s = last.subOperations();
                int done = Math.max(0, s.completed()) + Math.max(0, s.failed()) + Math.max(0, s.warning());
                progress.show(done, done + Math.max(0, s.remaining()), counts(s));
            }
        }
        progress.done(counts(last.subOperations()));
        System.out.println("C-MOVE from " + p + " to " + dest + ": " + FindCommand.outcome(last));
        if (last.dataSet() != null && last.dataSet().containsValue(Tag.FailedSOPInstanceUIDList)) {
            for (String uid : last.dataSet().getStrings(Tag.FailedSOPInstanceUIDList)) {
                System.out.println("  failed: " + uid);
            }
        }
        if (last.isFailure()) {
            throw new IllegalStateException("C-MOVE from " + p.aeTitle() + " failed: " + FindCommand.outcome(last));
        }
        return null;
    }

    private static String counts(SubOperations s) {
        return Math.max(0, s.completed()) + " completed, " + Math.max(0, s.failed()) + " failed, "
                + Math.max(0, s.warning()) + " warning";
    }
}
