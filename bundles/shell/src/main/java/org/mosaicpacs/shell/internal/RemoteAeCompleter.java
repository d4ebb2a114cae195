package org.mosaicpacs.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.api.remote.RemoteAeRegistry;

/** Completes the AE titles of the configured remote AEs. */
@Service
public class RemoteAeCompleter implements Completer {

    @Reference
    RemoteAeRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter titles = new StringsCompleter();
        for (RemoteAe ae : registry.all()) {
            titles.getStrings().add(ae.aeTitle());
        }
        return titles.complete(session, commandLine, candidates);
    }
}
