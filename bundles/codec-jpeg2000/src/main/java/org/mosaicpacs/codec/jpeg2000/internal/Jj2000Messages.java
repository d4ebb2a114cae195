package org.mosaicpacs.codec.jpeg2000.internal;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jj2000.j2k.util.FacilityManager;
import jj2000.j2k.util.MsgLogger;

/**
 * Takes JJ2000's messages for the current thread while one frame is coded, instead of JJ2000's
 * default of printing them to {@code System.out}/{@code System.err}. Warnings are kept so that a
 * decoder can refuse a frame JJ2000 only warned about (a truncated code stream), and are logged at
 * DEBUG: they describe pixel data, never patient data, but one per frame is noise at INFO.
 */
final class Jj2000Messages implements MsgLogger, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Jj2000Messages.class);

    private final List<String> warnings = new ArrayList<>();

    private Jj2000Messages() {
    }

    /** Starts collecting JJ2000's messages on this thread; close to stop. */
    static Jj2000Messages collect() {
        Jj2000Messages messages = new Jj2000Messages();
        FacilityManager.registerMsgLogger(Thread.currentThread(), messages);
        return messages;
    }

    List<String> warnings() {
        return warnings;
    }

    @Override
    public void printmsg(int severity, String message) {
        LOG.debug("JJ2000 ({}): {}", severity, message);
        if (severity >= MsgLogger.WARNING) {
            warnings.add(message.strip());
        }
    }

    @Override
    public void println(String text, int firstLineIndent, int indent) {
        LOG.debug("JJ2000: {}", text);
    }

    @Override
    public void flush() {
        // nothing buffered
    }

    @Override
    public void close() {
        FacilityManager.unregisterMsgLogger(Thread.currentThread());
    }
}
