package org.mosaicpacs.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.api.remote.RemoteAeRegistry;

/** {@code mosaic:ae-list}: the configured remote AEs. */
@Service
@Command(scope = "mosaic", name = "ae-list", description = "Lists the remote DICOM nodes (C-MOVE destinations, ...)")
public class AeListCommand implements Action {

    @Reference
    RemoteAeRegistry registry;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("AE title");
        table.column("Host");
        table.column("Port");
        table.column("TLS");
        table.column("Description");
        for (RemoteAe ae : registry.all()) {
            table.addRow().addContent(ae.aeTitle(), ae.host(), ae.port(), ae.tls() ? "yes" : "no", ae.description());
        }
        table.print(System.out);
        return null;
    }
}
