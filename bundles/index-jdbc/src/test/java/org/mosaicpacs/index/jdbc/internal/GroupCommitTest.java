package org.mosaicpacs.index.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.index.IndexException;

/** The batching protocol alone, with a runner that records what it was given. */
class GroupCommitTest {

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void recordingsOfOneKeyThatArriveDuringACommitShareTheNext() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<String, String> commits = new GroupCommit<>(32, batch -> {
            batches.add(batch.stream().map(r -> r.work).toList());
            if (batch.get(0).work.equals("first")) {
                firstRunning.countDown();
                await(release);
            }
            batch.forEach(r -> r.succeed("done " + r.work));
        });
        Future<String> first = callers.submit(() -> commits.submit("study", "first"));
        assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<String>> later = new ArrayList<>();
        for (String w : List.of("a", "b", "c")) {
            later.add(callers.submit(() -> commits.submit("study", w)));
        }
        waitUntil(() -> waiting(commits) == 3);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("done first");
        for (Future<String> f : later) {
            assertThat(f.get(10, TimeUnit.SECONDS)).startsWith("done ");
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(commits.counts()).containsExactly(2, 4);
    }

    @Test
    void otherKeysDoNotWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<String, String> commits = new GroupCommit<>(32, batch -> {
            if (batch.get(0).work.equals("slow")) {
                await(release);
            }
            batch.forEach(r -> r.succeed(r.work));
        });
        Future<String> slow = callers.submit(() -> commits.submit("study-1", "slow"));
        waitUntil(() -> waiting(commits) == 0 && !slow.isDone());
        assertThat(callers.submit(() -> commits.submit("study-2", "fast")).get(10, TimeUnit.SECONDS)).isEqualTo("fast");
        assertThat(slow.isDone()).isFalse();
        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
    }

    @Test
    void eachCallerHearsItsOwnFailureAndARunnerCrashReachesTheWholeBatch() throws Exception {
        GroupCommit<String, String> commits = new GroupCommit<>(32, batch -> batch.forEach(r -> {
            if (r.work.equals("duplicate")) {
                r.fail(new IndexException("already recorded"));
            } else if (r.work.equals("crash")) {
                throw new IllegalStateException("runner broke");
            } else {
                r.succeed(r.work);
            }
        }));
        assertThat(commits.submit("s", "fine")).isEqualTo("fine");
        assertThatThrownBy(() -> commits.submit("s", "duplicate")).isInstanceOf(IndexException.class)
                .hasMessage("already recorded");
        assertThatThrownBy(() -> commits.submit("s", "crash")).isInstanceOf(IllegalStateException.class)
                .hasMessage("runner broke");
        // the key is free again after a crash
        assertThat(commits.submit("s", "after")).isEqualTo("after");
    }

    @Test
    void manyCallersOfOneKeyAllGetTheirOwnAnswerInBoundedBatches() throws Exception {
        GroupCommit<Integer, Integer> commits = new GroupCommit<>(4, batch -> {
            assertThat(batch.size()).isBetween(1, 4);
            batch.forEach(r -> r.succeed(r.work * 2));
        });
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int n = i;
            answers.add(callers.submit(() -> commits.submit("study", n)));
        }
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(2 * i);
        }
        assertThat(commits.counts()[1]).isEqualTo(400);
    }

    private static int waiting(GroupCommit<?, ?> commits) {
        return commits.waiting();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the condition holds; fails after 10 s. Also used by the index tests of this package. */
    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 10 s");
            }
            Thread.sleep(5);
        }
    }
}
