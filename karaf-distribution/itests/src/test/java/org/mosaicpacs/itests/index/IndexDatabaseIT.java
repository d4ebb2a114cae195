package org.mosaicpacs.itests.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.PostgresServer;
import org.mosaicpacs.testing.Tools;

/**
 * The archive index in the real distribution: active on embedded Derby with no configuration at
 * all, and active on PostgreSQL once the {@code mosaic} DataSource configuration points there,
 * with the schema migrated in the respective database.
 */
class IndexDatabaseIT {

    private static final String COMPONENT = "org.mosaicpacs.index.jdbc.internal.JdbcArchiveIndexComponent";

    @Test
    void runsOnEmbeddedDerbyWithoutConfiguration() throws Exception {
        try (MosaicServer server = MosaicServer.unpack(Path.of("target/index-derby-server").toAbsolutePath(), false)) {
            server.start();
            assertThat(indexState(server)).isEqualTo("ACTIVE");
            Path derby = server.home().resolve("data/mosaic/derby");
            assertThat(derby.resolve("service.properties")).isRegularFile();
            assertThat(derby.resolve("seg0")).isDirectory();
            assertThat(server.shell("service:list javax.sql.DataSource")).contains("dataSourceName = mosaic");
        }
    }

    @Test
    void runsOnPostgresqlWhenTheDataSourceIsConfigured() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        String url = postgres.createDatabase("mosaic_index_it");
        try (MosaicServer server = MosaicServer.unpack(Path.of("target/index-postgresql-server").toAbsolutePath(), false)) {
            server.usePostgresql(url, postgres.user());
            server.start();

            assertThat(indexState(server)).isEqualTo("ACTIVE");
            assertThat(server.home().resolve("data/mosaic/derby")).doesNotExist();
            Tools.Result versions = Tools.run(Duration.ofSeconds(30), List.of(Tools.require("psql").toString(),
                    "-h", "127.0.0.1", "-p", Integer.toString(postgres.port()), "-U", postgres.user(), "-d",
                    "mosaic_index_it", "-Atc", "SELECT version FROM index_schema_version ORDER BY version; "
                            + "SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN "
                            + "('patient', 'study', 'series', 'instance', 'person_name', 'rejected_instance')"))
                    .assertSuccess();
            assertThat(versions.out().strip().split("\\s+")).containsExactly("1", "2", "6");
        }
    }

    /**
     * The state Service Component Runtime reports for the index component, from /api/health,
     * asked until the answer lists it (the JAX-RS application may be re-deployed right after boot).
     */
    private static String indexState(MosaicServer server) throws IOException, InterruptedException {
        Pattern component = Pattern.compile("\\{[^{}]*\"name\"\\s*:\\s*\"" + Pattern.quote(COMPONENT) + "\"[^{}]*\\}");
        String body = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> health = server.get("/api/health");
            body = health.body();
            Matcher m = component.matcher(body);
            if (m.find()) {
                Matcher state = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"").matcher(m.group());
                assertThat(state.find()).as(m.group()).isTrue();
                return state.group(1);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("/api/health does not list " + COMPONENT + ": " + body);
    }
}
