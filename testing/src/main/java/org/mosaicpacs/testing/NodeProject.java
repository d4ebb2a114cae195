package org.mosaicpacs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The repository's JavaScript test code (dcmjs-dimse, dicomweb-client, OHIF in Chromium) copied
 * into a work folder under target/ with its npm packages installed from its package-lock.json.
 */
public final class NodeProject {

    private NodeProject() {
    }

    /**
     * Copies {@code files} (package.json and package-lock.json among them) from {@code source} into
     * {@code work} and runs {@code npm ci} there, unless the previous install into {@code work} came
     * from the same lock file and is complete.
     *
     * @param installScripts whether the packages' install scripts may run (no: --ignore-scripts)
     * @return {@code work}
     */
    public static Path install(Path source, Path work, List<String> files, boolean installScripts) throws IOException {
        Files.createDirectories(work);
        Path lock = work.resolve("package-lock.json");
        boolean lockChanged = !Files.exists(lock) || Files.mismatch(source.resolve("package-lock.json"), lock) >= 0;
        for (String file : files) {
            Files.copy(source.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        // npm writes node_modules/.package-lock.json last, once every package is in place
        if (lockChanged || !Files.exists(work.resolve("node_modules/.package-lock.json"))) {
            List<String> command = new ArrayList<>(List.of(Tools.require("npm").toString(), "ci", "--no-audit",
                    "--no-fund", "--loglevel=error"));
            if (!installScripts) {
                command.add("--ignore-scripts");
            }
            Tools.run(Duration.ofMinutes(3), command, work, Map.of()).assertSuccess();
        }
        return work;
    }
}
