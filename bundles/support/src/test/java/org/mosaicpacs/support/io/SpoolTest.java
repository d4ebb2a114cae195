package org.mosaicpacs.support.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpoolTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1000, 65_536, 200_000})
    void holdsInMemoryUpToTheLimitThenInATemporaryFile(int size, @TempDir Path dir) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Spool spool = new Spool(65_536, dir, "test-");
        try (spool) {
            // uneven pieces, through both ways in
            int half = size / 2;
            spool.append(data, 0, half);
            spool.stream().write(data, half, size - half);
            assertThat(spool.size()).isEqualTo(size);
            assertThat(spool.onDisk()).isEqualTo(size > 65_536);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.count()).isEqualTo(size > 65_536 ? 1 : 0);
            }
            try (InputStream in = spool.openStream()) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            spool.copyTo(copy);
            assertThat(copy.toByteArray()).isEqualTo(data);
            try (SeekableByteChannel channel = spool.openChannel()) {
                assertThat(channel.size()).isEqualTo(size);
                if (size > 10) {
                    channel.position(size - 10);
                    ByteBuffer tail = ByteBuffer.allocate(20);
                    assertThat(channel.read(tail)).isEqualTo(10);
                    assertThat(tail.flip().array()).startsWith(Arrays.copyOfRange(data, size - 10, size));
                    assertThat(channel.read(ByteBuffer.allocate(1))).isEqualTo(-1);
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("the temporary file is deleted on close").isEmpty();
        }
    }
}
