package org.mosaicpacs.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.worklist.WorklistStore;

/** {@code mosaic:worklist-remove ID...}: removes worklist items; one line per id, saying so for an unknown one. */
@Service
@Command(scope = "mosaic", name = "worklist-remove", description = "Removes Modality Worklist items")
public class WorklistRemoveCommand implements Action {

    @Reference
    WorklistStore store;

    @Argument(index = 0, name = "ids", required = true, multiValued = true,
            description = "item ids, as mosaic:worklist-list shows them")
    List<String> ids;

    @Override
    public Object execute() throws Exception {
        for (String id : ids) {
            if (store.delete(id.strip())) {
                System.out.println("Removed worklist item " + id.strip());
            } else {
                System.out.println("No worklist item " + id.strip() + " (see mosaic:worklist-list)");
            }
        }
        return null;
    }
}
