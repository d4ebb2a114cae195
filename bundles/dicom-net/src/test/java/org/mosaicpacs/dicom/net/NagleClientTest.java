package org.mosaicpacs.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestFiles;
import org.mosaicpacs.testing.Tools;
import org.mosaicpacs.testing.Tshark;

/**
 * A peer that keeps Nagle's algorithm on must not wait for our delayed ACKs ({@code PromptAcks}).
 * DCMTK does so unless {@code TCP_NODELAY} is set in its environment: {@code storescu} writes a
 * PDU's header on its own and holds back the rest of the PDU, if smaller than a segment, until that
 * header is acknowledged. Linux delays that ACK by 40 ms on a connection where we answer what we
 * receive.
 *
 * <p>tshark timestamps every segment on loopback. A stall is a pause of 30 ms or more between two
 * segments of the client inside one exchange (no answer of ours in between): on loopback the
 * segments of an image follow each other within a millisecond, and the delayed-ACK timer is 40 ms.
 * Without the fix every small image stalled (199 of 199, 25 images/s at most), and CT images now
 * and then (0 to 7 in 200); with it, none after the first image, whose exchange may pause up to
 * 37 ms while both processes load their code and is not counted.
 */
class NagleClientTest {

    private static final int IMAGES = 200;
    private static final double STALL_SECONDS = 0.030;

    /** @param size rows and columns of the images: 64 (8 KB of pixels) or 512 (a CT image, 512 KB) */
    @ParameterizedTest
    @ValueSource(ints = {64, 512})
    void storescuWithNagleOnIsNotHeldUpByDelayedAcks(int size) throws Exception {
        Path tshark = Tools.require("tshark");
        Path storescu = Tools.require("storescu");
        Path work = Path.of("target", "nagle-client-" + size).toAbsolutePath();
        TestFiles.deleteTree(work);
        List<Path> images = images(size);
        TestStorage storage = new TestStorage(work.resolve("received"));
        try (DicomServer server = TestHandlers.start(TestHandlers.options().build(),
                Map.of(UID.CTImageStorage, storage))) {
            Path capture = work.resolve("store.pcap");
            Path tsharkErr = work.resolve("tshark.err");
            Process capturing = new ProcessBuilder(tshark.toString(), "-i", "lo", "-f", "tcp port " + server.port(),
                    "-w", capture.toString()).redirectError(tsharkErr.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                Tshark.awaitCapturing(capturing, tsharkErr);
                List<String> command = new ArrayList<>(List.of(storescu.toString(), "-aet", "NAGLESCU", "-aec", "MOSAIC",
                        "127.0.0.1", Integer.toString(server.port())));
                images.forEach(p -> command.add(p.toString()));
                // TCP_NODELAY=0: DCMTK keeps Nagle's algorithm on, as it does by default
                Tools.run(Duration.ofMinutes(3), command, work, Map.of("TCP_NODELAY", "0")).assertSuccess();
                Thread.sleep(500); // the last segments into the capture file
            } finally {
                capturing.destroy();
                capturing.waitFor(20, TimeUnit.SECONDS);
            }
            assertThat(storage.received).hasSize(IMAGES);
            List<String> stalls = stalls(tshark, capture, server.port());
            System.out.println(size + "x" + size + " images, client stalls of 30 ms or more: " + stalls);
            // one is tolerated: a loaded CI machine may pause a process that long once
            assertThat(stalls).as("pauses of the client of 30 ms or more inside an exchange").hasSizeLessThanOrEqualTo(1);
        }
    }

    /**
     * {@link #IMAGES} CT images of make-corpus.py: its tiny profile (64x64, every fourth study CT) or
     * its ct profile (512x512).
     */
    private static List<Path> images(int size) {
        Path corpus = size == 64
                ? TestData.corpus("nagle-tiny", "--profile", "tiny", "--patients", "40", "--studies-per-patient", "2",
                        "--instances-per-series", "10")
                : TestData.corpus("nagle-ct", "--profile", "ct", "--patients", "2", "--studies-per-patient", "1",
                        "--instances-per-series", "100");
        List<Path> images = TestData.corpusFiles(corpus, size == 64 ? "TINY_CT" : "CT");
        assertThat(images).as("CT images in " + corpus).hasSize(IMAGES);
        return images;
    }

    /**
     * The client's pauses of {@link #STALL_SECONDS} or more with no segment of ours carrying data in
     * between, from the second image on (our first two answers are the A-ASSOCIATE-AC and the first
     * C-STORE-RSP).
     */
    private static List<String> stalls(Path tshark, Path capture, int serverPort) {
        Tools.Result segments = Tools.run(Duration.ofMinutes(2), List.of(tshark.toString(), "-r", capture.toString(),
                "-T", "fields", "-e", "frame.number", "-e", "frame.time_relative", "-e", "tcp.srcport",
                "-e", "tcp.len")).assertSuccess();
        List<String> stalls = new ArrayList<>();
        double lastClientData = -1;
        int clientSegments = 0;
        int answers = 0;
        for (String line : segments.out().split("\\R")) {
            String[] f = line.split("\t");
            if (f.length < 4 || f[3].isBlank() || Integer.parseInt(f[3].strip()) == 0) {
                continue;
            }
            double time = Double.parseDouble(f[1]);
            if (Integer.parseInt(f[2].strip()) == serverPort) {
                lastClientData = -1; // our answer: the client's next segment starts a new exchange
                answers++;
                continue;
            }
            clientSegments++;
            if (answers >= 2 && lastClientData >= 0 && time - lastClientData >= STALL_SECONDS) {
                stalls.add(String.format("frame %s: %.1f ms", f[0], (time - lastClientData) * 1000));
            }
            lastClientData = time;
        }
        assertThat(clientSegments).as("client segments in the capture").isGreaterThanOrEqualTo(IMAGES);
        return stalls;
    }
}
