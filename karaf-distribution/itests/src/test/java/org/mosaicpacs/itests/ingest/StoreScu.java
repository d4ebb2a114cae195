package org.mosaicpacs.itests.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.mosaicpacs.testing.Tools;

/**
 * DCMTK {@code storescu} as the sender, with each file's outcome read from its verbose log: the
 * independent implementation that tells which objects were acknowledged.
 */
final class StoreScu {

    private StoreScu() {
    }

    /** What storescu reported for each file it got to: "Success", "Warning (...)" or the failure text. */
    record Outcome(Map<Path, String> statuses, int exitCode, String log) {

        List<Path> succeeded() {
            return statuses.entrySet().stream().filter(e -> e.getValue().startsWith("Success")
                    || e.getValue().startsWith("Warning")).map(Map.Entry::getKey).toList();
        }
    }

    /** Sends uncompressed files in one association (-R: propose exactly their SOP classes). */
    static Outcome send(int port, String calledAe, List<Path> files, Duration timeout) {
        return parse(Tools.run(timeout, command(port, calledAe, files, "-x=")));
    }

    /**
     * Sends files in their own transfer syntaxes: one association per syntax, proposing it
     * (storescu cannot convert compressed data, so it must travel as stored).
     */
    static Outcome sendAsStored(int port, String calledAe, Map<Path, String> filesWithSyntax, Duration timeout) {
        Map<String, List<Path>> bySyntax = new LinkedHashMap<>();
        filesWithSyntax.forEach((f, ts) -> bySyntax.computeIfAbsent(ts, k -> new ArrayList<>()).add(f));
        Map<Path, String> statuses = new LinkedHashMap<>();
        StringBuilder log = new StringBuilder();
        int exit = 0;
        for (Map.Entry<String, List<Path>> group : bySyntax.entrySet()) {
            Outcome o = parse(Tools.run(timeout, command(port, calledAe, group.getValue(), proposeOption(group.getKey()))));
            statuses.putAll(o.statuses());
            log.append(o.log());
            exit = Math.max(exit, o.exitCode());
        }
        return new Outcome(statuses, exit, log.toString());
    }

    /** storescu's option proposing a transfer syntax (uncompressed ones are always proposed too). */
    private static String proposeOption(String ts) {
        return switch (ts) {
            case "1.2.840.10008.1.2" -> "-xi";
            case "1.2.840.10008.1.2.2" -> "-xb";
            case "1.2.840.10008.1.2.1.99" -> "-xd";
            case "1.2.840.10008.1.2.5" -> "-xr";
            case "1.2.840.10008.1.2.4.50" -> "-xy";
            case "1.2.840.10008.1.2.4.51" -> "-xx";
            case "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70" -> "-xs";
            case "1.2.840.10008.1.2.4.80" -> "-xt";
            case "1.2.840.10008.1.2.4.81" -> "-xu";
            case "1.2.840.10008.1.2.4.90" -> "-xv";
            case "1.2.840.10008.1.2.4.91" -> "-xw";
            default -> "-xe";
        };
    }

    private static List<String> command(int port, String calledAe, List<Path> files, String propose) {
        // -nh: go on after a refused object (the default halts the whole run)
        List<String> cmd = new ArrayList<>(List.of(Tools.require("storescu").toString(), "-v", "-R", "-nh", propose,
                "-aet", "STORESCU", "-aec", calledAe, "-to", "30", "-ta", "30", "-td", "60", "127.0.0.1",
                Integer.toString(port)));
        files.forEach(f -> cmd.add(f.toString()));
        return cmd;
    }

    /** Starts storescu in the background; {@link #finish} collects its outcome. */
    static Process start(int port, String calledAe, List<Path> files, Path logFile) {
        ProcessBuilder pb = new ProcessBuilder(command(port, calledAe, files, "-x="))
                .redirectErrorStream(true).redirectOutput(logFile.toFile());
        pb.environment().put("TCP_NODELAY", "1");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many C-STORE responses a running storescu has logged so far. */
    static long responsesSoFar(Path logFile) {
        try {
            return Files.readAllLines(logFile, java.nio.charset.StandardCharsets.ISO_8859_1).stream()
                    .filter(l -> l.contains("Received Store Response")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Outcome finish(Process process, Path logFile, Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            String log = Files.readString(logFile);
            return parse(new Tools.Result(List.of("storescu"), process.exitValue(), log.getBytes(), new byte[0]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Outcome parse(Tools.Result result) {
        String log = result.out() + result.err();
        Map<Path, String> statuses = new LinkedHashMap<>();
        Path current = null;
        for (String line : log.split("\n")) {
            if (line.startsWith("I: Sending file: ")) {
                current = Path.of(line.substring("I: Sending file: ".length()).trim());
            } else if (current != null && line.contains("Received Store Response")) {
                int open = line.indexOf('(');
                statuses.put(current, open >= 0 ? line.substring(open + 1, line.lastIndexOf(')')) : line);
                current = null;
            } else if (current != null && (line.startsWith("E:") || line.startsWith("F:"))) {
                statuses.putIfAbsent(current, "not acknowledged: " + line);
            }
        }
        return new Outcome(statuses, result.exitCode(), log);
    }
}
