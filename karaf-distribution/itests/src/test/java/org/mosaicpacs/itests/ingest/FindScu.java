package org.mosaicpacs.itests.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.Tools;

/** DCMTK findscu (Study Root) as the judge of what the archive offers. */
final class FindScu {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private FindScu() {
    }

    /**
     * The UIDs findscu reports under {@code returnedTag} (e.g. "(0020,000e)") for a query at
     * {@code level} with {@code keys} ("Keyword=value", or "Keyword" for a return key).
     */
    static List<String> uids(MosaicServer server, String level, List<String> keys, String returnedTag) {
        List<String> command = new ArrayList<>(List.of(Tools.require("findscu").toString(), "-v", "-S",
                "-aec", "MOSAIC", "-k", "QueryRetrieveLevel=" + level));
        keys.forEach(k -> command.addAll(List.of("-k", k)));
        command.addAll(List.of("127.0.0.1", Integer.toString(server.dicomPort())));
        Tools.Result r = Tools.run(TIMEOUT, command).assertSuccess();
        // findscu prints a UI value with its NULL padding (PS3.5 6.2) when its length is odd
        return (r.out() + r.err()).lines().filter(l -> l.contains(returnedTag + " UI ["))
                .map(l -> l.substring(l.indexOf('[') + 1, l.indexOf(']')).replace("\0", "")).toList();
    }
}
