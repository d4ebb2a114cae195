package org.mosaicpacs.itests.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.PostgresServer;
import org.mosaicpacs.testing.TestData;

/**
 * Two nodes sharing one PostgreSQL index and one S3 bucket (S3Proxy), the architecture's
 * scale-out: DCMTK storescu sends half of the corpus to each node at the same time; then each node
 * counts every instance, verifies every object's checksum in the shared bucket, and returns with
 * C-GET what was stored through the other node, as sent.
 */
class ScaleOutIT {

    private static final Set<String> UNCOMPRESSED = Set.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1");

    @Test
    void twoNodesShareOneIndexAndOneBucket() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        String url = postgres.createDatabase("mosaic_scale_out_it");
        try (S3ProxyServer s3 = new S3ProxyServer(Path.of("target/scale-out-store"), "mosaic-shared");
             MosaicServer a = MosaicServer.unpack(Path.of("target/scale-out-a").toAbsolutePath(), false);
             MosaicServer b = MosaicServer.unpack(Path.of("target/scale-out-b").toAbsolutePath(), false)) {
            for (MosaicServer node : List.of(a, b)) {
                node.usePostgresql(url, postgres.user());
                s3.configure(node, "");
            }
            a.start(); // one after the other: the first creates the schema
            b.start();

            // the uncompressed corpus files (storescu sends them in one association each), alternately to a and b
            Map<Path, String> sendable = StoredObjects.sendable(TestData.dicomFilesUnder(TestData.mixedCorpus()));
            List<Path> toA = new ArrayList<>();
            List<Path> toB = new ArrayList<>();
            sendable.entrySet().stream().filter(e -> UNCOMPRESSED.contains(e.getValue())).map(Map.Entry::getKey)
                    .sorted().forEach(p -> (toA.size() <= toB.size() ? toA : toB).add(p));
            assertThat(toA.size() + toB.size()).isGreaterThan(50);
            CompletableFuture<StoreScu.Outcome> sendingToA = CompletableFuture.supplyAsync(
                    () -> StoreScu.send(a.dicomPort(), "MOSAIC", toA, Duration.ofMinutes(5)));
            StoreScu.Outcome toBOutcome = StoreScu.send(b.dicomPort(), "MOSAIC", toB, Duration.ofMinutes(5));
            StoreScu.Outcome toAOutcome = sendingToA.join();
            assertThat(toAOutcome.succeeded()).as(toAOutcome.log() + a.diagnostics("ERROR")).hasSameSizeAs(toA);
            assertThat(toBOutcome.succeeded()).as(toBOutcome.log() + b.diagnostics("ERROR")).hasSameSizeAs(toB);

            int all = toA.size() + toB.size();
            assertThat(StoredObjects.problemsWithStoredCopies(s3.objects(""), concat(toA, toB))).isEmpty();
            for (MosaicServer node : List.of(a, b)) {
                assertThat(node.shell("mosaic:archive-verify --checksums")).contains("OK:")
                        .contains(all + " instances").doesNotContain("PROBLEM");
            }
            S3StorageIT.cGetReturnsAsSent(b, toA.subList(0, 5), Path.of("target/scale-out-cget-b"));
            S3StorageIT.cGetReturnsAsSent(a, toB.subList(0, 5), Path.of("target/scale-out-cget-a"));
        }
    }

    private static List<Path> concat(List<Path> first, List<Path> second) {
        List<Path> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
