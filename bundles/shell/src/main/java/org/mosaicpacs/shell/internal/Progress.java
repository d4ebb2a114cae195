package org.mosaicpacs.shell.internal;

import java.io.PrintStream;

/**
 * A one-line progress bar for long transfers, redrawn in place (carriage return) at most every
 * 200 ms: {@code [#########-----------]  45/100  3 failed, 12.3 MB/s}.
 */
final class Progress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    Progress(PrintStream out) {
        this.out = out;
    }

    /** Shows the state now if the last drawing is old enough. */
    void show(long done, long total, String detail) {
        long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        out.print("\r" + line(done, total, detail));
        out.flush();
    }

    /** Ends the line with the final state. */
    void done(String detail) {
        if (drawn) {
            out.println();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("%s in %.1f s%n", detail, seconds);
    }

    /** The bar for {@code done} of {@code total}. */
    static String line(long done, long total, String detail) {
        int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/" + total + "  " + detail;
    }

    /** Megabytes per second since the start. */
    double megabytesPerSecond(long bytes) {
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        return bytes / 1e6 / seconds;
    }
}
