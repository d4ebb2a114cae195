package org.mosaicpacs.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.config.core.ConfigRepository;

/** {@code mosaic:ae-remove AET}: deletes a remote AE's configuration. */
@Service
@Command(scope = "mosaic", name = "ae-remove", description = "Removes a remote DICOM node")
public class AeRemoveCommand implements Action {

    @Reference
    ConfigRepository configRepository;

    @Argument(index = 0, name = "aeTitle", required = true, description = "AE title of the remote node")
    String aeTitle;

    @Override
    public Object execute() throws Exception {
        if (!RemoteAeConfigurations.delete(configRepository, aeTitle)) {
            System.err.println("No remote AE " + aeTitle.trim() + " is configured (see mosaic:ae-list)");
            return null;
        }
        System.out.println("Removed remote AE " + aeTitle.trim());
        return null;
    }
}
