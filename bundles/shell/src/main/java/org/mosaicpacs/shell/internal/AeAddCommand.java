package org.mosaicpacs.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.remote.RemoteAe;
import org.apache.karaf.config.core.ConfigRepository;

/** {@code mosaic:ae-add AET HOST PORT}: defines (or redefines) a remote AE. */
@Service
@Command(scope = "mosaic", name = "ae-add", description = "Adds or changes a remote DICOM node")
public class AeAddCommand implements Action {

    @Reference
    ConfigRepository configRepository;

    @Argument(index = 0, name = "aeTitle", required = true, description = "AE title of the remote node")
    String aeTitle;

    @Argument(index = 1, name = "host", required = true, description = "host name or address")
    String host;

    @Argument(index = 2, name = "port", required = true, description = "TCP port")
    int port;

    @Option(name = "--tls", description = "use DICOM TLS")
    boolean tls;

    @Option(name = "--description", aliases = "-d", description = "free text")
    String description = "";

    @Override
    public Object execute() throws Exception {
        // Validate here so the admin sees the reason now, not a failed component later.
        RemoteAe ae = new RemoteAe(aeTitle, host, port, tls, description);
        RemoteAeConfigurations.put(configRepository, ae.aeTitle(), ae.host(), ae.port(), ae.tls(), ae.description());
        System.out.println("Remote AE " + ae.aeTitle() + " -> " + ae.host() + ":" + ae.port() + (ae.tls() ? " (TLS)" : ""));
        return null;
    }
}
