package org.mosaicpacs.transcoder.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.codec.TransferSyntaxCodec;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.TranscodeResult;
import org.mosaicpacs.codec.rle.internal.RleCodec;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.UidGenerator;
import org.mosaicpacs.testing.TestData;
import org.osgi.framework.Constants;

/**
 * The registry as DS drives it (bind, updated, unbind with the service properties) and the
 * hot-swap promise: a conversion in flight finishes with the codec it started with.
 */
class CodecRegistryComponentTest {

    private static final ImageDescriptor CT = new ImageDescriptor(512, 512, 1, 16, 16, 15, true, "MONOCHROME2", 0);
    private static final String RLE = RealCodecs.RLE;

    /** A codec that only says yes or no and counts its work. */
    static class FakeCodec implements TransferSyntaxCodec {
        final boolean able;

        FakeCodec(boolean able) {
            this.able = able;
        }

        @Override
        public boolean canDecode(String ts, ImageDescriptor image) {
            return able;
        }

        @Override
        public boolean canEncode(String ts, ImageDescriptor image) {
            return able;
        }

        @Override
        public DecodedFrame decode(String ts, ImageDescriptor image, byte[] frame) throws CodecException {
            throw new CodecException("fake");
        }

        @Override
        public EncodedFrame encode(String ts, ImageDescriptor image, byte[] pixels, EncodeOptions options)
                throws CodecException {
            throw new CodecException("fake");
        }
    }

    private static Map<String, Object> properties(long id, Integer ranking, Object syntaxes) {
        return ranking == null
                ? Map.of(Constants.SERVICE_ID, id, TransferSyntaxCodec.TRANSFER_SYNTAX_PROPERTY, syntaxes)
                : Map.of(Constants.SERVICE_ID, id, Constants.SERVICE_RANKING, ranking,
                TransferSyntaxCodec.TRANSFER_SYNTAX_PROPERTY, syntaxes);
    }

    @Test
    void highestRankingWinsThenLowestServiceId() {
        CodecRegistryComponent registry = new CodecRegistryComponent();
        FakeCodec first = new FakeCodec(true);
        FakeCodec second = new FakeCodec(true);
        FakeCodec ranked = new FakeCodec(true);
        registry.add("b", second, properties(12, null, RLE));
        registry.add("a", first, properties(11, null, new String[] {RLE}));
        assertThat(registry.decoderFor(RLE, CT)).containsSame(first);
        registry.add("c", ranked, properties(20, 5, List.of(RLE)));
        assertThat(registry.decoderFor(RLE, CT)).containsSame(ranked);
        assertThat(registry.encoderFor(RLE, CT)).containsSame(ranked);
        assertThat(registry.decoderFor(RealCodecs.JPEG_LS, CT)).isEmpty();
    }

    @Test
    void aCodecThatCannotHandleTheImageIsPassedOver() {
        CodecRegistryComponent registry = new CodecRegistryComponent();
        FakeCodec unable = new FakeCodec(false);
        FakeCodec able = new FakeCodec(true);
        registry.add("unable", unable, properties(1, 100, RLE));
        registry.add("able", able, properties(2, 0, RLE));
        assertThat(registry.decoderFor(RLE, CT)).containsSame(able);
    }

    @Test
    void aCodecThatThrowsWhenAskedIsSkipped() {
        CodecRegistryComponent registry = new CodecRegistryComponent();
        FakeCodec broken = new FakeCodec(true) {
            @Override
            public boolean canDecode(String ts, ImageDescriptor image) {
                throw new IllegalStateException("plugin bug");
            }
        };
        FakeCodec able = new FakeCodec(true);
        registry.add("broken", broken, properties(1, 100, RLE));
        registry.add("able", able, properties(2, 0, RLE));
        assertThat(registry.decoderFor(RLE, CT)).containsSame(able);
    }

    @Test
    void modifiedPropertiesApplyToTheNextLookupAndUnbindRemovesByKey() {
        CodecRegistryComponent registry = new CodecRegistryComponent();
        FakeCodec a = new FakeCodec(true);
        FakeCodec b = new FakeCodec(true);
        registry.add("a", a, properties(1, 0, RLE));
        registry.add("b", b, properties(2, 0, RLE));
        assertThat(registry.decoderFor(RLE, CT)).containsSame(a);
        registry.update("b", properties(2, 10, new String[] {RLE, RealCodecs.JPEG_LS}));
        assertThat(registry.decoderFor(RLE, CT)).containsSame(b);
        assertThat(registry.transferSyntaxes()).containsExactlyInAnyOrder(RLE, RealCodecs.JPEG_LS);
        registry.remove("b");
        registry.remove("never added");
        assertThat(registry.decoderFor(RLE, CT)).containsSame(a);
        assertThat(registry.transferSyntaxes()).containsExactly(RLE);
        registry.remove("a");
        assertThat(registry.decoderFor(RLE, CT)).isEmpty();
        assertThat(registry.transferSyntaxes()).isEmpty();
    }

    /** RLE that waits at frame 2 until released, counting the frames it decodes. */
    static final class GatedRle extends RleCodec {
        final AtomicInteger frames = new AtomicInteger();
        final CountDownLatch atFrame2 = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public DecodedFrame decode(String ts, ImageDescriptor image, byte[] frame) throws CodecException {
            if (frames.incrementAndGet() == 2) {
                atFrame2.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.decode(ts, image, frame);
        }
    }

    @Test
    void aConversionInFlightFinishesWithItsCodecWhileTheRegistryChanges(@TempDir Path tmp) throws Exception {
        CodecRegistryComponent registry = new CodecRegistryComponent();
        GatedRle old = new GatedRle();
        GatedRle replacement = new GatedRle();
        replacement.release.countDown();
        registry.add("old", old, properties(1, 0, RLE));
        TranscoderComponent transcoder = new TranscoderComponent(registry,
                new TranscoderSettings(1 << 20, tmp, UidGenerator.uuidDerived()));
        byte[] us = Files.readAllBytes(TestData.mixedCorpus().resolve("syntaxes/rle-dcmtk/US_IM00001.dcm"));

        CompletableFuture<TranscodeResult> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return transcoder.transcode(new ByteArrayInputStream(us), new ByteArrayOutputStream(),
                        TranscodeRequest.to(UID.ExplicitVRLittleEndian));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(old.atFrame2.await(30, TimeUnit.SECONDS)).isTrue();
        // the codec bundle is updated: the old service goes, a new one comes
        registry.remove("old");
        assertThat(registry.decoderFor(RLE, CT)).isEmpty();
        assertThat(transcoder.canTranscode(RLE, UID.ExplicitVRLittleEndian, CT)).isFalse();
        registry.add("new", replacement, properties(2, 0, RLE));
        old.release.countDown();

        TranscodeResult result = inFlight.get(60, TimeUnit.SECONDS);
        assertThat(result.numberOfFrames()).isEqualTo(10);
        assertThat(old.frames.get()).as("all frames by the codec the conversion started with").isEqualTo(10);
        assertThat(replacement.frames.get()).isZero();

        transcoder.transcode(new ByteArrayInputStream(us), new ByteArrayOutputStream(),
                TranscodeRequest.to(UID.ExplicitVRLittleEndian));
        assertThat(replacement.frames.get()).as("the next conversion takes the new codec").isEqualTo(10);
    }

    @Test
    void withoutACodecNothingIsWrittenAndTheReasonIsUnsupported(@TempDir Path tmp) throws Exception {
        TranscoderComponent transcoder = new TranscoderComponent(new CodecRegistryComponent(),
                new TranscoderSettings(1 << 20, tmp, UidGenerator.uuidDerived()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(TestData.mixedCorpus().resolve("syntaxes/rle-dcmtk/CT_IM00001.dcm"))) {
            assertThatThrownBy(() -> transcoder.transcode(in, out, TranscodeRequest.to(UID.ExplicitVRLittleEndian)))
                    .isInstanceOfSatisfying(TranscodeException.class, e -> {
                        assertThat(e.reason()).isEqualTo(TranscodeException.Reason.UNSUPPORTED);
                        assertThat(e.getMessage()).contains("no codec registered now can decode RLE Lossless");
                    });
        }
        assertThat(out.size()).isZero();
    }
}
