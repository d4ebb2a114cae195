package org.mosaicpacs.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.Deletion;

/**
 * {@code mosaic:study-delete [--series UID] STUDY_UID}: deletes a study, or one series of it, from
 * the index and from storage ({@link Archive#delete}). Prints what was deleted, one line per
 * object that stayed in storage, and says so for a study the archive does not have.
 */
@Service
@Command(scope = "mosaic", name = "study-delete", description = "Deletes a study, or one series of it, from the archive")
public class StudyDeleteCommand implements Action {

    @Reference
    Archive archive;

    @Argument(index = 0, name = "study", required = true, description = "Study Instance UID")
    String study;

    @Option(name = "--series", aliases = "-s", description = "delete only this Series Instance UID of the study")
    String series;

    @Override
    public Object execute() throws Exception {
        Deletion deleted;
        try {
            deleted = archive.delete(study.strip(), series == null ? null : series.strip());
        } catch (ArchiveException e) {
            if (e.reason() == ArchiveException.Reason.NOT_FOUND) {
                System.out.println("Nothing deleted: " + e.getMessage());
                return null;
            }
            throw e;
        }
        for (String left : deleted.objectsNotDeleted()) {
            System.out.println("LEFT IN STORAGE " + left);
        }
        System.out.println("Deleted " + (series == null ? "study " + deleted.studyInstanceUid()
                : "series " + deleted.seriesInstanceUid() + " of study " + deleted.studyInstanceUid()) + ": "
                + deleted.instances() + " instance(s) in " + deleted.series().size() + " series"
                + (deleted.objectsNotDeleted().isEmpty() ? "" : ", " + deleted.objectsNotDeleted().size()
                + " object(s) left in storage (see the log)"));
        return null;
    }
}
