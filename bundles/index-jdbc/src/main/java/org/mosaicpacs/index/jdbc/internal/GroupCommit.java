package org.mosaicpacs.index.jdbc.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.mosaicpacs.api.index.IndexException;

/**
 * Group commit per key (the Study Instance UID): while one recording of a study commits, further
 * recordings of that study wait, and the first of them then records all that waited in one
 * transaction. Recordings of one study lock one patient row until commit (see {@link IndexWriter}),
 * so they run one after the other anyway; this lets them share the commit and its log sync instead
 * of each waiting for the lock and then syncing alone (several associations sending one study).
 * Different studies do not wait for each other. No thread of its own: the thread that leads a batch
 * is one of the callers, and hands the lead to the next waiting caller when its batch is done.
 *
 * @param <T> what one recording asks for
 * @param <R> what it answers
 */
final class GroupCommit<T, R> {

    /** Runs a batch: completes every request, with its result or its failure. */
    interface BatchRunner<T, R> {
        void run(List<Request<T, R>> batch);
    }

    /** One caller's recording. */
    static final class Request<T, R> {
        final T work;
        private final CompletableFuture<Void> wake = new CompletableFuture<>();
        private boolean handedLead; // written before wake completes, read after
        private R result;
        private IndexException failure;
        private RuntimeException error;
        private boolean done;

        Request(T work) {
            this.work = work;
        }

        void succeed(R value) {
            result = value;
            done = true;
        }

        void fail(IndexException e) {
            failure = e;
            done = true;
        }

        void fail(RuntimeException e) {
            error = e;
            done = true;
        }

        boolean done() {
            return done;
        }

        R outcome() throws IndexException {
            if (failure != null) {
                throw failure;
            }
            if (error != null) {
                throw error;
            }
            return result;
        }
    }

    /** The requests of one key that wait, and whether a caller is running a batch of them. */
    private static final class Queue<T, R> {
        final ArrayDeque<Request<T, R>> waiting = new ArrayDeque<>();
        boolean running;
    }

    private final int maxBatch;
    private final BatchRunner<T, R> runner;
    private final Map<String, Queue<T, R>> queues = new HashMap<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    GroupCommit(int maxBatch, BatchRunner<T, R> runner) {
        this.maxBatch = maxBatch;
        this.runner = runner;
    }

    /** Runs the work, alone or in a batch with others of the same key, and returns its result. */
    R submit(String key, T work) throws IndexException {
        Request<T, R> me = new Request<>(work);
        boolean leader;
        synchronized (queues) {
            Queue<T, R> queue = queues.computeIfAbsent(key, k -> new Queue<>());
            queue.waiting.add(me);
            leader = !queue.running;
            queue.running = true;
        }
        if (!leader) {
            me.wake.join(); // a batch ran it, or the lead was handed to it
            leader = me.handedLead;
        }
        if (leader) {
            lead(key);
        }
        return me.outcome();
    }

    /** Runs one batch from the head of the key's queue (the leader's own request first), then hands on the lead. */
    private void lead(String key) {
        List<Request<T, R>> batch = new ArrayList<>();
        synchronized (queues) {
            Queue<T, R> queue = queues.get(key);
            while (!queue.waiting.isEmpty() && batch.size() < maxBatch) {
                batch.add(queue.waiting.poll());
            }
        }
        try {
            runner.run(batch);
        } catch (RuntimeException e) {
            for (Request<T, R> r : batch) {
                if (!r.done()) {
                    r.fail(e);
                }
            }
        } finally {
            Request<T, R> next = null;
            synchronized (queues) {
                Queue<T, R> queue = queues.get(key);
                if (queue.waiting.isEmpty()) {
                    queues.remove(key);
                } else {
                    next = queue.waiting.peek();
                    next.handedLead = true;
                }
            }
            batches.incrementAndGet();
            requests.addAndGet(batch.size());
            for (Request<T, R> r : batch) {
                if (!r.done()) {
                    r.fail(new IllegalStateException("recording was not run"));
                }
                r.wake.complete(null);
            }
            if (next != null) {
                next.wake.complete(null);
            }
        }
    }

    /** Requests queued and not yet taken into a batch. */
    int waiting() {
        synchronized (queues) {
            return queues.values().stream().mapToInt(q -> q.waiting.size()).sum();
        }
    }

    /** Batches run and requests they held since start: the ratio is the average batch size. */
    long[] counts() {
        return new long[] {batches.get(), requests.get()};
    }
}
