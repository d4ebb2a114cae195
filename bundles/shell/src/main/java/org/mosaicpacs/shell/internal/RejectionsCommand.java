package org.mosaicpacs.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.Rejection;

/**
 * {@code mosaic:rejections STUDY_UID}: the instances of a study that IHE IOCM rejection notes
 * rejected and the archive remembers, so that it refuses them when they are sent again (one line
 * each: SOP Instance UID, series, title, note, when).
 */
@Service
@Command(scope = "mosaic", name = "rejections",
        description = "Lists the rejected instances of a study that the archive refuses when sent again")
public class RejectionsCommand implements Action {

    @Reference
    ArchiveIndex index;

    @Argument(index = 0, name = "study", required = true, description = "Study Instance UID")
    String study;

    @Override
    public Object execute() throws Exception {
        List<Rejection> rejections = index.findRejections(study.strip());
        if (rejections.isEmpty()) {
            System.out.println("No rejected instances remembered for study " + study.strip());
            return null;
        }
        for (Rejection r : rejections) {
            System.out.println(r.sopInstanceUid() + "  series " + r.seriesInstanceUid() + "  " + r.title() + "  note "
                    + r.noteUid() + "  " + r.rejected());
        }
        System.out.println(rejections.size() + " rejected instance(s); mosaic:rejection-forget lets one be stored again");
        return null;
    }
}
