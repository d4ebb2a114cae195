package org.mosaicpacs.codec.jpegls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.testing.TestFiles;

/**
 * Our decode of every JPEG-LS frame in pydicom's real files and the mixed corpus equals DCMTK's
 * (dcmdjpls) and GDCM's (gdcmconv --raw) byte for byte.
 */
class JpegLsReferenceDecodeTest {

    private final JpegLsCodec codec = new JpegLsCodec();

    @TestFactory
    Stream<DynamicTest> decodeEqualsDcmtkAndGdcm() {
        var compressed = JpegLsVectors.ofKind("compressed");
        assertThat(compressed).as("JPEG-LS vectors").hasSizeGreaterThanOrEqualTo(27);
        return compressed.stream().map(v -> DynamicTest.dynamicTest(v.id(), () -> {
            byte[] ours = new byte[v.frameLength() * v.frames()];
            for (int i = 0; i < v.frames(); i++) {
                DecodedFrame frame = codec.decode(v.transferSyntax(), v.image(), v.frame(i));
                assertThat(frame.pixels()).hasSize(v.frameLength());
                assertThat(frame.image().planarConfiguration()).isZero();
                System.arraycopy(frame.pixels(), 0, ours, i * v.frameLength(), v.frameLength());
            }
            for (String tool : new String[] {"dcmtk", "gdcm"}) {
                Path error = v.dir().resolve(tool + ".error");
                if (Files.exists(error)) {
                    fail(tool + " could not decode " + v.source() + ": " + Files.readString(error));
                }
                byte[] reference = TestFiles.read(v.dir().resolve(tool + ".raw"));
                if (!Arrays.equals(ours, reference)) {
                    fail("decode of " + v.id() + " differs from " + tool + " at byte " + Arrays.mismatch(ours, reference)
                            + " of " + reference.length);
                }
            }
        }));
    }
}
