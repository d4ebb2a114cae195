package org.mosaicpacs.itests.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;

/** An admin manages remote AEs from the Karaf shell; the configuration survives in etc/. */
@ExtendWith(SharedMosaicServer.class)
class RemoteAeShellIT {

    @Test
    void addListChangeAndRemoveARemoteAe(MosaicServer server) throws Exception {
        server.shell("mosaic:ae-add --description \"Reading room\" VIEWER_1 10.1.2.3 11113");
        String list = server.shell("mosaic:ae-list");
        assertThat(list).contains("VIEWER_1").contains("10.1.2.3").contains("11113").contains("Reading room");
        try (Stream<java.nio.file.Path> etc = Files.list(server.home().resolve("etc"))) {
            assertThat(etc.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("org.mosaicpacs.remote.ae") && name.contains("viewer_1"));
        }

        server.shell("mosaic:ae-add --tls VIEWER_1 viewer.example.org 2762");
        assertThat(server.shell("mosaic:ae-list")).contains("viewer.example.org").doesNotContain("10.1.2.3");

        server.shell("mosaic:ae-remove VIEWER_1");
        assertThat(server.shell("mosaic:ae-list")).doesNotContain("VIEWER_1");
    }

    @Test
    void invalidDefinitionsAreRefusedWithTheReason(MosaicServer server) {
        assertThatThrownBy(() -> server.shell("mosaic:ae-add THIS_AE_TITLE_IS_TOO_LONG host 104"))
                .hasMessageContaining("not a valid AE title");
        assertThatThrownBy(() -> server.shell("mosaic:ae-add OK host 70000"))
                .hasMessageContaining("port of OK must be 1-65535");
    }
}
