package org.mosaicpacs.ai.pipeline.internal.shell;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.ai.pipeline.internal.AiJobs;
import org.mosaicpacs.ai.pipeline.internal.Job;
import org.mosaicpacs.ai.pipeline.internal.JobState;

/** {@code mosaic:ai-jobs}: the AI job queue. */
@Service
@Command(scope = "mosaic", name = "ai-jobs", description = "Lists AI jobs, newest first, with their state")
public class AiJobsCommand implements Action {

    @Reference
    AiJobs jobs;

    @Option(name = "--state", description = "Only jobs in this state: QUEUED, RUNNING, RETRY_WAIT, COMPLETED, FAILED")
    String state;

    @Option(name = "--study", description = "Only jobs of this Study Instance UID")
    String study;

    @Option(name = "--connector", description = "Only jobs of this connector")
    String connector;

    @Option(name = "--limit", description = "At most this many jobs")
    int limit = 50;

    @Override
    public Object execute() throws Exception {
        JobState wanted = state == null ? null : JobState.valueOf(state.trim().toUpperCase(Locale.ROOT));
        ShellTable table = new ShellTable();
        table.column("Job");
        table.column("Connector");
        table.column("Rule");
        table.column("State");
        table.column("Attempts");
        table.column("Inputs");
        table.column("Results");
        table.column("Updated");
        table.column("Summary / error").maxSize(80);
        for (Job j : jobs.jobs(wanted, study, connector, limit)) {
            table.addRow().addContent(j.id(), j.connector(), j.rule(), j.state(), j.attempts() + "/" + j.maxAttempts(),
                    j.inputCount(), j.results().size(), j.updatedAt(),
                    j.state() == JobState.COMPLETED ? j.summary() : j.lastError() == null ? "" : j.lastError());
        }
        table.print(System.out);
        return null;
    }
}
