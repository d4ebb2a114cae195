package org.mosaicpacs.service.worklist.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.mosaicpacs.testing.Tools;

/**
 * The C-FIND responses findscu extracted into a folder ({@code rsp0001.dcm}...), as DCMTK reads
 * them: dcmdump in UTF-8 ({@code +U8}), one normalised text per response, sorted. Normalised means:
 * the data set only (no meta information), one "(gggg,eeee) VR [value]" line per element with its
 * nesting, item lines without their lengths (explicit or undefined length is an encoder's choice),
 * no delimitation items, and no Specific Character Set line: the two servers may encode the same
 * characters differently; the decoded text must agree.
 */
final class ResponseDump {

    private ResponseDump() {
    }

    static List<String> of(Path dcmdump, Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("rsp")).sorted().toList();
        }
        List<String> responses = new ArrayList<>();
        if (files.isEmpty()) {
            return responses;
        }
        List<String> command = new ArrayList<>(List.of(dcmdump.toString(), "+U8", "+L"));
        files.forEach(f -> command.add(f.toString()));
        String out = Tools.run(Duration.ofSeconds(30), command).assertSuccess().out();
        // one dump per file, each opening with this header
        for (String dump : out.split("# Dicom-File-Format")) {
            if (!dump.isBlank()) {
                responses.add(normalise(dump));
            }
        }
        if (responses.size() != files.size()) {
            throw new AssertionError("dcmdump printed " + responses.size() + " dumps for " + files.size() + " files");
        }
        responses.sort(null);
        return responses;
    }

    static String normalise(String dump) {
        StringBuilder sb = new StringBuilder();
        for (String line : dump.split("\n")) {
            String stripped = line.strip();
            if (!stripped.startsWith("(")) {
                continue;
            }
            String indent = line.substring(0, line.indexOf('('));
            int comment = stripped.lastIndexOf(" #");
            String element = (comment > 0 ? stripped.substring(0, comment) : stripped).strip();
            if (element.startsWith("(0002,") || element.startsWith("(0008,0005)") || element.startsWith("(fffe,e00d)") || element.startsWith("(fffe,e0dd)")) {
                continue;
            }
            if (element.startsWith("(fffe,e000)")) {
                element = "(fffe,e000) item";
            } else if (element.contains(" SQ ")) {
                element = element.substring(0, element.indexOf(" SQ ") + 3);
            }
            sb.append(indent).append(element).append('\n');
        }
        return sb.toString();
    }
}
