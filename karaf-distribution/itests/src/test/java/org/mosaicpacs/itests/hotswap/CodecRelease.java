package org.mosaicpacs.itests.hotswap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A new release of a codec as an admin receives it: the codec bundle under a new
 * {@code Bundle-Version} and a features repository declaring the codec's feature at that version,
 * both put into the distribution's {@code system/} folder in Maven layout, where its Maven
 * resolver looks first (offline, no ~/.m2 needed). The bundle's content is the shipped one; only
 * the version differs, which is all the OSGi framework and the Karaf resolver look at.
 */
record CodecRelease(String artifactId, String bundleSymbolicName, String version) {

    static final String GROUP_PATH = "org/mosaicpacs";

    /** The features repository URL to give {@code feature:repo-add}. */
    String featuresRepository() {
        return "mvn:org.mosaicpacs/" + artifactId + "/" + version + "/xml/features";
    }

    /** The feature id to give {@code feature:install}. */
    String feature() {
        return artifactId + "/" + version;
    }

    /**
     * Writes {@code system/org/mosaicpacs/<artifactId>/<version>/} with the re-versioned bundle,
     * made from the one the distribution ships at {@code shippedVersion}, and the features XML.
     */
    void publishInto(Path karafHome, String shippedVersion) {
        Path system = karafHome.resolve("system").resolve(GROUP_PATH).resolve(artifactId);
        Path shipped = system.resolve(shippedVersion).resolve(artifactId + "-" + shippedVersion + ".jar");
        Path dir = system.resolve(version);
        try {
            Files.createDirectories(dir);
            reversion(shipped, dir.resolve(artifactId + "-" + version + ".jar"));
            Files.writeString(dir.resolve(artifactId + "-" + version + "-features.xml"), featuresXml(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + artifactId + " " + version + " into " + dir, e);
        }
    }

    /** The repository: only the codec's feature, depending on the running mosaic-core like the shipped one. */
    String featuresXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <features name="%1$s-%2$s" xmlns="http://karaf.apache.org/xmlns/features/v1.6.0">
                  <feature name="%1$s" version="%2$s" description="%1$s, release %2$s">
                    <feature>mosaic-core</feature>
                    <bundle>mvn:org.mosaicpacs/%1$s/%2$s</bundle>
                  </feature>
                </features>
                """.formatted(artifactId, version);
    }

    /** Copies a bundle with only its Bundle-Version changed (the manifest first, as jar readers expect). */
    private void reversion(Path source, Path target) throws IOException {
        try (JarFile in = new JarFile(source.toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            Attributes main = manifest.getMainAttributes();
            if (!bundleSymbolicName.equals(main.getValue("Bundle-SymbolicName"))) {
                throw new IllegalStateException(source + " is not bundle " + bundleSymbolicName);
            }
            main.putValue("Bundle-Version", version);
            try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file, manifest)) {
                Enumeration<JarEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream content = in.getInputStream(entry)) {
                        content.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }
}
