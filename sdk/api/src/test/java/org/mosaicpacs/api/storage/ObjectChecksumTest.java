package org.mosaicpacs.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Published test vectors, not our own round trips: RFC 3720 B.4 for CRC32C, FIPS 180-2 for SHA-256. */
class ObjectChecksumTest {

    @Test
    void crc32cMatchesTheRfc3720Vectors() throws Exception {
        byte[] ascending = new byte[32];
        byte[] descending = new byte[32];
        for (int i = 0; i < 32; i++) {
            ascending[i] = (byte) i;
            descending[i] = (byte) (31 - i);
        }
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xff);
        assertThat(crc32c(new byte[32])).isEqualTo("8a9136aa");
        assertThat(crc32c(ones)).isEqualTo("62a8ab43");
        assertThat(crc32c(ascending)).isEqualTo("46dd794e");
        assertThat(crc32c(descending)).isEqualTo("113fdb5c");
        // the CRC catalogue's check value, and the leading zero kept
        assertThat(crc32c("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo("e3069283");
        assertThat(crc32c(new byte[0])).isEqualTo("00000000");
    }

    @Test
    void digestsKeepTheirNameAndHex() throws Exception {
        ObjectChecksum sha = ObjectChecksum.start("SHA-256");
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        sha.update(abc, 0, abc.length);
        assertThat(sha.algorithm()).isEqualTo("SHA-256");
        assertThat(sha.hex()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ObjectChecksum.start("crc32c").algorithm()).isEqualTo(ObjectChecksum.CRC32C);
    }

    @Test
    void theWrappingStreamSeesSingleBytesAndArraysAlike() throws Exception {
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        for (String algorithm : new String[] {"CRC32C", "MD5"}) {
            ObjectChecksum checksum = ObjectChecksum.start(algorithm);
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            try (OutputStream out = checksum.wrap(copy)) {
                out.write(data[0]);
                out.write(data, 1, data.length - 1);
            }
            assertThat(copy.toByteArray()).isEqualTo(data);
            assertThat(checksum.hex()).isEqualTo(ObjectChecksum.of(algorithm, new ByteArrayInputStream(data)).hex());
        }
        assertThat(ObjectChecksum.of("MD5", new ByteArrayInputStream(data)).hex())
                .isEqualTo("25f9e794323b453885f5181f1b624d0b");
        assertThat(ObjectChecksum.of("CRC32C", new ByteArrayInputStream(data)).size()).isEqualTo(9);
    }

    @Test
    void anUnknownAlgorithmIsNamedInTheError() {
        assertThatThrownBy(() -> ObjectChecksum.start("SHA-257"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHA-257");
    }

    private static String crc32c(byte[] data) throws Exception {
        return ObjectChecksum.of(ObjectChecksum.CRC32C, new ByteArrayInputStream(data)).hex();
    }
}
