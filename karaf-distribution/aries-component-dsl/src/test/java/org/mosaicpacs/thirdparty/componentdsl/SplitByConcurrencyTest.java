package org.mosaicpacs.thirdparty.componentdsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.aries.component.dsl.OSGi;
import org.apache.aries.component.dsl.Publisher;
import org.junit.jupiter.api.Test;

/**
 * The race that broke the JAX-RS whiteboard at start-up, replayed without OSGi: the whiteboard
 * splits services by name with {@link OSGi#splitBy}, and a service registered on one thread
 * (SCR's) arrived while the whiteboard's own thread was inside the map creating the entry for
 * another name. Against the unpatched 1.2.2 thread A fails with ConcurrentModificationException
 * every time and "a" is never delivered, which is how a JAX-RS service got lost.
 */
class SplitByConcurrencyTest {

    @Test
    void newKeysPublishedFromTwoThreadsAtOnceAreBothDelivered() throws Exception {
        AtomicReference<Publisher<? super String>> source = new AtomicReference<>();
        OSGi<String> services = OSGi.fromOsgiRunnable((bundleContext, publisher) -> {
            source.set(publisher);
            return () -> { };
        });
        CountDownLatch aInsideMap = new CountDownLatch(1);
        CountDownLatch bDelivered = new CountDownLatch(1);
        OSGi<String> split = services.splitBy(OSGi::just, (key, perKey) -> {
            // Called while splitBy creates the entry for this key, inside computeIfAbsent.
            if (key.equals("a")) {
                aInsideMap.countDown();
                awaitQuietly(bDelivered);
            }
            return perKey;
        });
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        split.run(null, name -> {
            delivered.add(name);
            return () -> { };
        });

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = threads.submit(() -> source.get().publish("a"));
            assertThat(aInsideMap.await(10, TimeUnit.SECONDS)).as("thread A reached the map").isTrue();
            Future<?> b = threads.submit(() -> {
                source.get().publish("b");
                bDelivered.countDown();
            });
            b.get(10, TimeUnit.SECONDS);
            a.get(10, TimeUnit.SECONDS); // unpatched: ExecutionException caused by ConcurrentModificationException
        } finally {
            threads.shutdownNow();
        }
        assertThat(delivered).containsExactlyInAnyOrder("a", "b");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            // bounded: should "b" ever share a's lock, b waits for a, and a goes on after this
            latch.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
