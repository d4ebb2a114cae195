package org.mosaicpacs.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.internal.Commands;
import org.mosaicpacs.dicom.net.internal.PduCodec;
import org.mosaicpacs.dicom.net.internal.PduException;
import org.mosaicpacs.dicom.net.internal.PduReader;

/**
 * A seeded mutation fuzzer for the PDU decoder, bounded in time: valid PDUs (every type, with
 * every User Information sub-item, and P-DATA-TF with DIMSE commands) are mutated (bit flips,
 * byte sets, length fields set to extremes, truncation, splicing) and fed to the decoder, which
 * may only answer {@link PduException}; then a share of them goes to a live acceptor, which must
 * keep serving. The seed is printed so a failure can be replayed with -Dmosaic.fuzz.seed.
 */
class PduFuzzTest {

    private static final Duration DECODER_BUDGET = Duration.ofSeconds(15);
    private static final Duration NETWORK_BUDGET = Duration.ofSeconds(15);
    /** Each aborted connection logs its reason at WARN: keep the test output small. */
    private static final int MAX_CONNECTIONS = 4000;

    @Test
    void decoderFailsOnlyWithPduException() throws Exception {
        long seed = Long.getLong("mosaic.fuzz.seed", System.nanoTime());
        System.out.println("PduFuzzTest seed " + seed);
        Random random = new Random(seed);
        List<byte[]> corpus = corpus();
        long deadline = System.nanoTime() + DECODER_BUDGET.toNanos();
        long runs = 0;
        while (System.nanoTime() < deadline) {
            byte[] input = mutate(corpus.get(random.nextInt(corpus.size())), corpus, random);
            try {
                decode(input);
            } catch (PduException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (IOException | RuntimeException e) {
                throw new AssertionError("seed " + seed + ", input " + Arrays.toString(input), e);
            }
            runs++;
        }
        System.out.println("PduFuzzTest decoded " + runs + " mutated PDUs");
        assertThat(runs).isGreaterThan(1000);
    }

    @Test
    void acceptorSurvivesMutatedStreams() throws Exception {
        long seed = Long.getLong("mosaic.fuzz.seed", System.nanoTime()) + 1;
        Random random = new Random(seed);
        List<byte[]> corpus = corpus();
        byte[] rq = PduCodec.encode(TestHandlers.rq().presentationContext(UID.Verification, UID.ImplicitVRLittleEndian).build());
        try (DicomServer server = TestHandlers.start(TestHandlers.options().acseTimeout(Duration.ofMillis(300))
                .idleTimeout(Duration.ofMillis(300)).maxPduLength(16384).build(), Map.of(UID.Verification, TestHandlers.ECHO));
             DicomClient client = DicomClient.builder().build()) {
            long deadline = System.nanoTime() + NETWORK_BUDGET.toNanos();
            int connections = 0;
            while (System.nanoTime() < deadline && connections < MAX_CONNECTIONS) {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    s.setSoTimeout(5000);
                    if (random.nextBoolean()) {
                        s.getOutputStream().write(rq);
                    }
                    s.getOutputStream().write(mutate(corpus.get(random.nextInt(corpus.size())), corpus, random));
                    s.shutdownOutput();
                    s.getInputStream().readAllBytes();
                } catch (IOException reset) {
                    // the acceptor may reset a connection it aborted: that is its right
                }
                connections++;
            }
            System.out.println("PduFuzzTest sent " + connections + " mutated streams (seed " + seed + ")");
            try (Association as = client.connect("127.0.0.1", server.port(),
                    TestHandlers.rq().presentationContext(UID.Verification).build())) {
                assertThat(as.echo().isSuccess()).isTrue();
            }
            assertThat(server.activeAssociations()).isLessThanOrEqualTo(1);
        }
    }

    private static void decode(byte[] input) throws IOException {
        PduReader reader = new PduReader(new ByteArrayInputStream(input), 16384);
        int type;
        while ((type = reader.readPdu()) >= 0) {
            byte[] body = Arrays.copyOf(reader.body(), reader.length());
            switch (type) {
                case PduCodec.A_ASSOCIATE_RQ -> PduCodec.decodeAssociateRq(body, body.length);
                case PduCodec.A_ASSOCIATE_AC -> PduCodec.decodeAssociateAc(body, body.length);
                case PduCodec.A_ASSOCIATE_RJ -> PduCodec.decodeAssociateRj(body, body.length);
                case PduCodec.A_ABORT -> PduCodec.decodeAbort(body, body.length);
                case PduCodec.P_DATA_TF -> {
                    while (reader.nextPdv()) {
                        if (reader.pdvCommand()) {
                            Commands.decode(reader.body(), reader.pdvOffset(), reader.pdvLength());
                        }
                    }
                }
                default -> {
                    // release PDUs have nothing more to decode
                }
            }
        }
    }

    static List<byte[]> corpus() throws IOException {
        List<byte[]> c = new ArrayList<>();
        c.add(PduCodec.encode(org.mosaicpacs.dicom.net.internal.PduCodecTestAccess.fullRequest()));
        c.add(PduCodec.encode(new AAssociateAc(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextResult(1, 0, UID.ImplicitVRLittleEndian)),
                new UserInformation(16384, "1.2.3", "V", new AsyncOperationsWindow(2, 2),
                        List.of(new RoleSelection(UID.CTImageStorage, false, true)), List.of(), List.of(), null, new byte[] {1}))));
        c.add(PduCodec.encode(AAssociateRj.calledAeNotRecognized()));
        c.add(PduCodec.encode(AAbort.byUser()));
        c.add(PduCodec.releaseRq());
        c.add(PduCodec.releaseRp());
        DataSet cmd = Commands.request(Dimse.C_FIND_RQ, 7, UID.StudyRootQueryRetrieveInformationModelFind, null, true);
        cmd.setString(Tag.MoveDestination, VR.AE, "DEST");
        c.add(pData(1, true, Commands.encode(cmd)));
        c.add(pData(1, true, Commands.encode(Commands.request(Dimse.C_ECHO_RQ, 1, UID.Verification, null, false))));
        c.add(pData(1, false, new byte[] {8, 0, 0x52, 0, 6, 0, 0, 0, 'S', 'T', 'U', 'D', 'Y', ' '}));
        return c;
    }

    private static byte[] pData(int pcid, boolean command, byte[] fragment) {
        int pdv = fragment.length + 2;
        byte[] b = new byte[6 + 4 + pdv];
        b[0] = 4;
        int len = 4 + pdv;
        b[2] = (byte) (len >>> 24);
        b[3] = (byte) (len >>> 16);
        b[4] = (byte) (len >>> 8);
        b[5] = (byte) len;
        b[6] = (byte) (pdv >>> 24);
        b[7] = (byte) (pdv >>> 16);
        b[8] = (byte) (pdv >>> 8);
        b[9] = (byte) pdv;
        b[10] = (byte) pcid;
        b[11] = (byte) ((command ? 1 : 0) | 2);
        System.arraycopy(fragment, 0, b, 12, fragment.length);
        return b;
    }

    static byte[] mutate(byte[] seed, List<byte[]> corpus, Random r) {
        byte[] b = seed.clone();
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            switch (r.nextInt(6)) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                case 2 -> {
                    if (b.length < 2) {
                        continue;
                    }
                    // a 16- or 32-bit length field set to an extreme
                    int at = r.nextInt(b.length - 1);
                    byte v = r.nextBoolean() ? (byte) 0xFF : 0;
                    b[at] = v;
                    b[at + 1] = v;
                }
                case 3 -> b = Arrays.copyOf(b, 1 + r.nextInt(b.length));
                case 4 -> {
                    byte[] other = corpus.get(r.nextInt(corpus.size()));
                    int cut = r.nextInt(b.length + 1);
                    byte[] joined = Arrays.copyOf(b, cut + other.length);
                    System.arraycopy(other, 0, joined, cut, other.length);
                    b = joined;
                }
                default -> {
                    if (b.length > 6) {
                        b[1 + r.nextInt(5)] = (byte) r.nextInt(256);
                    }
                }
            }
        }
        return b;
    }
}
