package org.mosaicpacs.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.index.ArchiveIndex;

/**
 * {@code mosaic:rejection-forget SOP_UID...}: forgets that rejection notes rejected these
 * instances, so that the archive stores them again when they are sent (the instances themselves
 * were deleted when the note arrived; this brings nothing back by itself).
 */
@Service
@Command(scope = "mosaic", name = "rejection-forget",
        description = "Forgets rejections, so that the instances are stored again when sent")
public class RejectionForgetCommand implements Action {

    @Reference
    ArchiveIndex index;

    @Argument(index = 0, name = "instances", required = true, multiValued = true, description = "SOP Instance UIDs")
    List<String> instances;

    @Override
    public Object execute() throws Exception {
        for (String uid : instances) {
            System.out.println(index.forgetRejection(uid.strip())
                    ? "Forgot the rejection of " + uid.strip() + ": it is stored again when sent"
                    : "No rejection remembered for " + uid.strip());
        }
        return null;
    }
}
