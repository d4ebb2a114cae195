package org.mosaicpacs.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** tshark as the tests' wire-level oracle. */
public final class Tshark {

    private Tshark() {
    }

    /**
     * Waits until a started tshark really captures. "Capturing on ..." comes before the capture
     * runs; tshark 4 then prints "Capture started" (to {@code stderr}, a file). An older tshark that
     * never says so gets two seconds. A tshark that exits (no permission on lo) makes the test's
     * environment incomplete, not the test failed.
     */
    public static void awaitCapturing(Process tshark, Path stderr) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long capturingSince = 0;
        while (System.nanoTime() < deadline) {
            String err = Files.exists(stderr) ? Files.readString(stderr) : "";
            if (err.contains("Capture started")) {
                return;
            }
            if (err.contains("Capturing on") && capturingSince == 0) {
                capturingSince = System.nanoTime();
            }
            if (capturingSince != 0 && System.nanoTime() - capturingSince > TimeUnit.SECONDS.toNanos(2)) {
                return;
            }
            if (!tshark.isAlive()) {
                TestEnvironment.missing("packet capture on lo with tshark (" + err.strip() + ")",
                        "run as root or add the user to the wireshark group");
            }
            Thread.sleep(20);
        }
        throw new AssertionError("tshark did not start capturing within 20 s");
    }
}
