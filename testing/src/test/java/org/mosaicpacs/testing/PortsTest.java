package org.mosaicpacs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PortsTest {

    /**
     * The system's ephemeral ports repeat: 1000 draws from its range of about 28 000 give a repeat
     * almost surely (birthday bound), and one such repeat gave a test server SSH and DICOM on the
     * same port.
     */
    @Test
    void noPortIsHandedOutTwice() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(ports.add(Ports.free())).as("port handed out twice after %d", i).isTrue();
        }
    }
}
