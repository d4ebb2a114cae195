package org.mosaicpacs.itests.hotswap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mosaicpacs.itests.hotswap.HotSwapCorpus.Instance;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.Tools;

/**
 * Requests that make the server decode compressed pixels, run without pause on several threads
 * until stopped, every outcome counted and every failure kept with its reason:
 * <ul>
 *   <li>WADO-RS frames (PS3.18 10.4.1.1.3) asked for as {@code application/octet-stream} in
 *       Explicit VR Little Endian: the stored RLE / JPEG-LS frame must be decoded; the answer
 *       must be exactly the pixels the oracle decoded;</li>
 *   <li>DCMTK {@code getscu} C-GETs of one instance each, offering only uncompressed syntaxes
 *       for the C-STORE sub-operation ({@code +xe}: Explicit VR Little Endian first), so the
 *       retrieve service must transcode; the received files are checked by the oracle at the end;</li>
 *   <li>DCMTK {@code storescu} offering only the swapped codec's syntax (an association profile):
 *       each association needs that syntax negotiated, so it fails at once if the codec is ever
 *       missing from the registry.</li>
 * </ul>
 */
final class TranscodingLoad implements AutoCloseable {

    /** Explicit VR Little Endian frames: forces a decode of every compressed frame. */
    static final String DECODED_FRAMES = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=1.2.840.10008.1.2.1";

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern COMPLETED = Pattern.compile("Number of Completed Suboperations\\s*:\\s*(\\d+)");
    private static final Pattern FAILED = Pattern.compile("Number of Failed Suboperations\\s*:\\s*(\\d+)");

    /** What a request did. */
    enum Kind { WADO_FRAME, C_GET, C_STORE }

    /** A failed request: when (ms since the load started), what, and why. */
    record Failure(long atMillis, Kind kind, String target, String reason) {
        @Override
        public String toString() {
            return String.format("+%d ms %s %s: %s", atMillis, kind, target, reason);
        }
    }

    /** Requests that succeeded so far, by kind, and the failures of all kinds. */
    record Counts(long wadoFrames, long cGets, long cStores, long failures) {
        Counts minus(Counts earlier) {
            return new Counts(wadoFrames - earlier.wadoFrames, cGets - earlier.cGets, cStores - earlier.cStores,
                    failures - earlier.failures);
        }
    }

    private final MosaicServer server;
    private final List<Instance> instances;
    private final Path receivedDir;
    private final List<String> storeCommand;
    private final int storeFiles;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService threads;
    private final long startNanos = System.nanoTime();
    private final AtomicLong wadoDone = new AtomicLong();
    private final AtomicLong getDone = new AtomicLong();
    private final AtomicLong storeDone = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextFrame = new AtomicInteger();
    private final AtomicInteger nextGet = new AtomicInteger();
    private final List<int[]> frameTargets = new ArrayList<>();
    private volatile boolean running = true;

    private TranscodingLoad(MosaicServer server, List<Instance> instances, Path receivedDir, int wadoThreads,
                            List<String> storeCommand, int storeFiles) {
        this.server = server;
        this.instances = instances;
        this.receivedDir = receivedDir;
        this.storeCommand = storeCommand;
        this.storeFiles = storeFiles;
        for (int i = 0; i < instances.size(); i++) {
            for (int f = 1; f <= instances.get(i).frames(); f++) {
                frameTargets.add(new int[] {i, f});
            }
        }
        this.threads = Executors.newFixedThreadPool(wadoThreads + 2);
        for (int t = 0; t < wadoThreads; t++) {
            threads.execute(() -> loop(this::wadoFrame));
        }
        threads.execute(() -> loop(this::cGet));
        threads.execute(() -> loop(this::cStore));
    }

    /**
     * Starts {@code wadoThreads} WADO-RS threads, one getscu loop (received files go below
     * {@code receivedDir}) and one loop running {@code storeCommand}, a storescu that must get a
     * success status for each of its {@code storeFiles} files.
     */
    static TranscodingLoad start(MosaicServer server, List<Instance> instances, Path receivedDir, int wadoThreads,
                                 List<String> storeCommand, int storeFiles) {
        try {
            Files.createDirectories(receivedDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TranscodingLoad(server, instances, receivedDir, wadoThreads, storeCommand, storeFiles);
    }

    Counts counts() {
        return new Counts(wadoDone.get(), getDone.get(), storeDone.get(), failed.get());
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** Waits until at least this many requests of each kind have succeeded, or the timeout. */
    void awaitAtLeast(long wadoFrames, long cGets, long cStores, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((wadoDone.get() < wadoFrames || getDone.get() < cGets || storeDone.get() < cStores)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Stops issuing requests and waits for those in flight. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        threads.shutdown();
        if (!threads.awaitTermination(90, TimeUnit.SECONDS)) {
            threads.shutdownNow();
            throw new IllegalStateException("load threads did not finish within 90 s");
        }
    }

    private void loop(Runnable request) {
        while (running) {
            request.run();
        }
    }

    private void fail(Kind kind, String target, String reason) {
        failed.incrementAndGet();
        failures.add(new Failure(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), kind, target, reason));
    }

    private void wadoFrame() {
        int[] target = frameTargets.get(Math.floorMod(nextFrame.getAndIncrement(), frameTargets.size()));
        Instance instance = instances.get(target[0]);
        int frame = target[1];
        String name = instance.name() + " frame " + frame;
        URI uri = server.http("/dicom-web/studies/" + instance.study() + "/series/" + instance.series() + "/instances/"
                + instance.sop() + "/frames/" + frame);
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", DECODED_FRAMES)
                .timeout(Duration.ofSeconds(60)).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                fail(Kind.WADO_FRAME, name, "HTTP " + response.statusCode() + " "
                        + new String(response.body(), StandardCharsets.UTF_8).strip());
                return;
            }
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            byte[] pixels = singlePart(contentType, response.body());
            if (pixels == null) {
                fail(Kind.WADO_FRAME, name, "not one application/octet-stream part in Explicit VR Little Endian: "
                        + contentType);
            } else if (!Arrays.equals(pixels, instance.frame(frame))) {
                fail(Kind.WADO_FRAME, name, "pixels differ from the oracle's (" + pixels.length + " bytes, expected "
                        + instance.frameBytes() + ")");
            } else {
                wadoDone.incrementAndGet();
            }
        } catch (IOException e) {
            fail(Kind.WADO_FRAME, name, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** The body of the only part of a multipart/related answer, or null if it is not that. */
    static byte[] singlePart(String contentType, byte[] body) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!contentType.startsWith("multipart/related") || !m.find()) {
            return null;
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.US_ASCII);
        byte[] closing = ("\r\n--" + m.group(1) + "--").getBytes(StandardCharsets.US_ASCII);
        int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        int end = indexOf(body, closing, 0);
        if (indexOf(body, delimiter, 0) != 0 || headersEnd < 0 || end < headersEnd) {
            return null;
        }
        String headers = new String(body, 0, headersEnd, StandardCharsets.US_ASCII);
        if (!headers.contains("application/octet-stream") || !headers.contains("transfer-syntax=1.2.840.10008.1.2.1")
                || indexOf(body, delimiter, headersEnd) != end + 2) {
            return null;
        }
        return Arrays.copyOfRange(body, headersEnd + 4, end);
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void cGet() {
        int n = nextGet.getAndIncrement();
        Instance instance = instances.get(Math.floorMod(n, instances.size()));
        Path dir = receivedDir.resolve(Integer.toString(n));
        try {
            Files.createDirectories(dir);
            Tools.Result r = Tools.run(Duration.ofSeconds(90), cGetCommand(server.dicomPort(), instance, dir));
            String log = r.out() + r.err();
            Matcher completed = COMPLETED.matcher(log);
            Matcher failedSubOperations = FAILED.matcher(log);
            long files;
            try (var listing = Files.list(dir)) {
                files = listing.count();
            }
            if (r.exitCode() == 0 && log.contains("Received C-GET Response (Success)") && completed.find()
                    && completed.group(1).equals("1") && failedSubOperations.find()
                    && failedSubOperations.group(1).equals("0") && files == 1) {
                getDone.incrementAndGet();
            } else {
                fail(Kind.C_GET, instance.name(), "getscu exit " + r.exitCode() + ", " + files + " files received: "
                        + log.lines().filter(l -> l.startsWith("E:") || l.startsWith("F:") || l.startsWith("W:")
                                || l.contains("C-GET Response") || l.contains("Suboperations")).toList());
            }
        } catch (IOException | RuntimeException | AssertionError e) {
            fail(Kind.C_GET, instance.name(), e.toString());
        }
    }

    private void cStore() {
        try {
            Tools.Result r = Tools.run(Duration.ofSeconds(90), storeCommand);
            String log = r.out() + r.err();
            long stored = log.lines().filter(l -> l.contains("Received Store Response (Success)")).count();
            if (r.exitCode() == 0 && stored == storeFiles) {
                storeDone.incrementAndGet();
            } else {
                fail(Kind.C_STORE, "storescu", "exit " + r.exitCode() + ", " + stored + " of " + storeFiles + " stored: "
                        + log.lines().filter(l -> l.startsWith("E:") || l.startsWith("F:") || l.startsWith("W:")).toList());
            }
        } catch (RuntimeException | AssertionError e) {
            fail(Kind.C_STORE, "storescu", e.toString());
        }
    }

    /**
     * getscu at IMAGE level for one instance; {@code +xe}: the storage contexts it offers for the
     * C-STORE sub-operation carry only Explicit VR Little Endian (preferred), Explicit VR Big
     * Endian and Implicit VR Little Endian, never the stored compressed syntax.
     */
    static List<String> cGetCommand(int port, Instance instance, Path outputDir) {
        return List.of(Tools.require("getscu").toString(), "-v", "-S", "+xe", "-aet", "HOTSWAP", "-aec", "MOSAIC",
                "-od", outputDir.toString(), "-k", "QueryRetrieveLevel=IMAGE",
                "-k", "StudyInstanceUID=" + instance.study(), "-k", "SeriesInstanceUID=" + instance.series(),
                "-k", "SOPInstanceUID=" + instance.sop(), "127.0.0.1", Integer.toString(port));
    }
}
