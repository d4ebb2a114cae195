package org.mosaicpacs.dicom.net.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The executors clients and servers own: daemon threads with recognisable names. */
public final class Threads {

    private Threads() {
    }

    /** Grows as needed (one reader per association plus handler workers), idle threads end after 60 s. */
    public static ExecutorService cachedPool(String prefix) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                factory(prefix));
    }

    /** One timer thread (ARTIM). */
    public static ScheduledExecutorService scheduler(String name) {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, factory(name));
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    private static ThreadFactory factory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
