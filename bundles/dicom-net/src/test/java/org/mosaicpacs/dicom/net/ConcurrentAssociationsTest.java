package org.mosaicpacs.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.UID;

/**
 * 200 associations open at once, each doing C-ECHO, all succeed; prints the memory and threads
 * one association costs (both ends are in this JVM, so the figure covers requestor and acceptor).
 */
class ConcurrentAssociationsTest {

    private static final int ASSOCIATIONS = 200;

    @Test
    void twoHundredConcurrentEchoes() throws Exception {
        try (DicomServer server = TestHandlers.start(TestHandlers.options().maxAssociations(250).build(),
                Map.of(UID.Verification, TestHandlers.ECHO));
             DicomClient client = DicomClient.builder().build()) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            try {
                long heapBefore = usedHeap();
                int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
                List<Future<Association>> opening = new ArrayList<>();
                for (int i = 0; i < ASSOCIATIONS; i++) {
                    String calling = "SCU" + i;
                    opening.add(pool.submit(() -> {
                        Association as = client.connect("127.0.0.1", server.port(),
                                AAssociateRq.builder("MOSAIC", calling).presentationContext(UID.Verification).build());
                        assertThat(as.echo().isSuccess()).isTrue();
                        return as;
                    }));
                }
                List<Association> open = new ArrayList<>();
                for (Future<Association> f : opening) {
                    open.add(f.get(60, TimeUnit.SECONDS));
                }
                assertThat(server.associations()).hasSize(ASSOCIATIONS);
                // a second echo on every association while all of them are open
                List<Future<DimseResponse>> echoes = new ArrayList<>();
                for (Association as : open) {
                    echoes.add(pool.submit(as::echo));
                }
                for (Future<DimseResponse> f : echoes) {
                    assertThat(f.get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
                }
                long heapOpen = usedHeap();
                int threadsOpen = ManagementFactory.getThreadMXBean().getThreadCount();
                System.out.printf("%d concurrent associations: heap +%d KiB (%.1f KiB per association, both ends), "
                                + "threads +%d (%.1f per association, both ends; 1 MiB stack reserved each, mostly uncommitted)%n",
                        ASSOCIATIONS, (heapOpen - heapBefore) / 1024, (heapOpen - heapBefore) / 1024.0 / ASSOCIATIONS,
                        threadsOpen - threadsBefore, (threadsOpen - threadsBefore) / (double) ASSOCIATIONS);
                List<Future<?>> releases = new ArrayList<>();
                for (Association as : open) {
                    releases.add(pool.submit(() -> {
                        as.release();
                        return null;
                    }));
                }
                for (Future<?> f : releases) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
