package org.mosaicpacs.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.Status;

/** {@code mosaic:echo PEER}: C-ECHO, to check that a remote AE answers and accepts us. */
@Service
@Command(scope = "mosaic", name = "echo", description = "Checks a remote DICOM node with C-ECHO")
public class EchoCommand extends DicomCommandSupport {

    @Override
    public Object execute() throws Exception {
        Peer p = peer();
        long start = System.nanoTime();
        try (DicomClient client = client(p);
             Association as = connect(client, p, request(p).presentationContext(UID.Verification))) {
            DimseResponse r = as.echo();
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (!r.isSuccess()) {
                throw new IllegalStateException("C-ECHO to " + p + " answered " + Status.describe(r.status()));
            }
            System.out.println("C-ECHO to " + p + ": success (" + ms + " ms with association set-up)");
        }
        return null;
    }
}
