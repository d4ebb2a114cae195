package org.mosaicpacs.ai.pipeline.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.ai.pipeline.internal.AiJobs;

/** {@code mosaic:ai-connectors}: registered connectors and the rules in force. */
@Service
@Command(scope = "mosaic", name = "ai-connectors", description = "Lists the AI connectors and the rules that select them")
public class AiConnectorsCommand implements Action {

    @Reference
    AiJobs jobs;

    @Override
    public Object execute() {
        ShellTable connectors = new ShellTable();
        connectors.column("Connector");
        connectors.column("Ranking");
        connectors.column("Default rule");
        for (AiJobs.ConnectorInfo c : jobs.connectors()) {
            connectors.addRow().addContent(c.name(), c.ranking(), c.defaultRule() == null ? "(none)" : c.defaultRule());
        }
        connectors.print(System.out);
        ShellTable rules = new ShellTable();
        rules.column("Rule");
        rules.column("Connector");
        rules.column("Modalities");
        rules.column("Body parts");
        rules.column("SOP classes");
        rules.column("Calling AEs");
        rules.column("Parameters");
        for (AiJobs.RuleInfo r : jobs.rules()) {
            rules.addRow().addContent(r.name(), r.connector(), String.join(",", r.modalities()),
                    String.join(",", r.bodyParts()), String.join(",", r.sopClasses()),
                    String.join(",", r.callingAeTitles()), String.join(",", r.parameters()));
        }
        rules.print(System.out);
        return null;
    }
}
