package org.mosaicpacs.itests.hotswap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

/**
 * The compressed instances the hot-swap test serves: the mixed corpus' CT, MR, grey and colour
 * Secondary Capture and 10-frame colour US compressed to RLE Lossless by DCMTK ({@code dcmcrle})
 * and by GDCM, plus a CT and an MR in JPEG-LS lossless (a codec that is not swapped, as a
 * control). Their expected pixels come from {@code src/test/python/hotswap-pixels.py}: pydicom's
 * RLE decoder and DCMTK's {@code dcmdjpls}, never our codecs.
 */
final class HotSwapCorpus {

    static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";
    static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";

    private static final List<String> RLE_KINDS = List.of("CT", "MR", "SC_GRAY", "SC_RGB", "US");
    private static final List<String> JPEG_LS_KINDS = List.of("CT", "MR");

    /** One stored instance and the pixels every decoded frame of it must have. */
    record Instance(Path file, String study, String series, String sop, String sopClass, String transferSyntax,
                    int frames, int frameBytes, byte[] pixels) {

        byte[] frame(int number) {
            byte[] frame = new byte[frameBytes];
            System.arraycopy(pixels, (number - 1) * frameBytes, frame, 0, frameBytes);
            return frame;
        }

        String name() {
            return file.getParent().getFileName() + "/" + file.getFileName();
        }
    }

    private final List<Instance> instances;

    private HotSwapCorpus(List<Instance> instances) {
        this.instances = instances;
    }

    /** Picks the files from the mixed corpus and decodes them with the oracle into {@code work}. */
    static HotSwapCorpus prepare(Path work) {
        Path syntaxes = TestData.mixedCorpus().resolve("syntaxes");
        List<Path> files = new ArrayList<>();
        for (String toolkit : List.of("rle-dcmtk", "rle-gdcm")) {
            RLE_KINDS.forEach(kind -> files.add(syntaxes.resolve(toolkit).resolve(kind + "_IM00001.dcm")));
        }
        JPEG_LS_KINDS.forEach(kind -> files.add(syntaxes.resolve("jpegls-lossless").resolve(kind + "_IM00001.dcm")));
        Path expected = work.resolve("expected");
        List<String> command = new ArrayList<>(List.of(Tools.pydicomPython().toString(), oracle().toString(), "expect",
                expected.toString()));
        files.forEach(f -> command.add(f.toString()));
        Tools.Result result = Tools.run(Duration.ofMinutes(2), command).assertSuccess();
        ObjectMapper json = new ObjectMapper();
        List<Instance> instances = new ArrayList<>();
        try {
            for (String line : result.out().strip().split("\n")) {
                JsonNode n = json.readTree(line);
                instances.add(new Instance(Path.of(n.get("file").asText()), n.get("study").asText(),
                        n.get("series").asText(), n.get("sop").asText(), n.get("sopClass").asText(),
                        n.get("transferSyntax").asText(), n.get("frames").asInt(), n.get("frameBytes").asInt(),
                        Files.readAllBytes(Path.of(n.get("raw").asText()))));
                Files.delete(Path.of(n.get("raw").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pixel oracle's output", e);
        }
        if (instances.size() != files.size()) {
            throw new IllegalStateException("the oracle described " + instances.size() + " of " + files.size() + " files");
        }
        return new HotSwapCorpus(List.copyOf(instances));
    }

    List<Instance> instances() {
        return instances;
    }

    List<Instance> inSyntax(String transferSyntax) {
        return instances.stream().filter(i -> i.transferSyntax().equals(transferSyntax)).toList();
    }

    /**
     * Stores every instance in its own transfer syntax with DCMTK storescu, one association per
     * syntax proposing it ({@code -xr}, {@code -xt}); returns storescu's logs.
     */
    String storeInto(int dicomPort) {
        Map<String, List<Path>> bySyntax = new LinkedHashMap<>();
        instances.forEach(i -> bySyntax.computeIfAbsent(i.transferSyntax(), k -> new ArrayList<>()).add(i.file()));
        StringBuilder log = new StringBuilder();
        for (Map.Entry<String, List<Path>> group : bySyntax.entrySet()) {
            String propose = switch (group.getKey()) {
                case RLE_LOSSLESS -> "-xr";
                case JPEG_LS_LOSSLESS -> "-xt";
                default -> throw new IllegalStateException("no storescu option for " + group.getKey());
            };
            List<String> command = new ArrayList<>(List.of(Tools.require("storescu").toString(), "-v", "-R", propose,
                    "-aet", "HOTSWAP", "-aec", "MOSAIC", "127.0.0.1", Integer.toString(dicomPort)));
            group.getValue().forEach(f -> command.add(f.toString()));
            Tools.Result r = Tools.run(Duration.ofMinutes(2), command);
            String out = r.out() + r.err();
            long stored = out.lines().filter(l -> l.contains("Received Store Response (Success)")).count();
            if (r.exitCode() != 0 || stored != group.getValue().size()) {
                throw new AssertionError("storescu stored " + stored + " of " + group.getValue().size() + ":\n" + out);
            }
            log.append(out);
        }
        return log.toString();
    }

    /**
     * Runs the oracle over what getscu received: "OK n" when every file is Explicit VR Little
     * Endian with exactly its source's pixels, else one "FAIL" line per file.
     */
    String checkReceived(Path receivedDir) {
        List<String> command = new ArrayList<>(List.of(Tools.pydicomPython().toString(), oracle().toString(), "check",
                receivedDir.toString()));
        instances.forEach(i -> command.add(i.file().toString()));
        return Tools.run(Duration.ofMinutes(3), command).assertSuccess().out().strip();
    }

    private static Path oracle() {
        return TestEnvironment.repoRoot().resolve("karaf-distribution/itests/src/test/python/hotswap-pixels.py");
    }
}
