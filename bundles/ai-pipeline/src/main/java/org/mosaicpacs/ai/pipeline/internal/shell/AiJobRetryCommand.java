package org.mosaicpacs.ai.pipeline.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.ai.pipeline.internal.AiJobs;

/** {@code mosaic:ai-job-retry}: runs a completed or failed job again. */
@Service
@Command(scope = "mosaic", name = "ai-job-retry", description = "Queues a COMPLETED or FAILED AI job again with fresh attempts")
public class AiJobRetryCommand implements Action {

    @Reference
    AiJobs jobs;

    @Argument(index = 0, name = "job", description = "The job number (see mosaic:ai-jobs)", required = true)
    long id;

    @Override
    public Object execute() throws Exception {
        if (jobs.job(id).isEmpty()) {
            throw new IllegalArgumentException("no AI job " + id);
        }
        if (!jobs.retry(id)) {
            throw new IllegalStateException("AI job " + id + " is queued or running");
        }
        System.out.println("AI job " + id + " queued again");
        return null;
    }
}
