package org.mosaicpacs.service.query.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.index.jdbc.internal.JdbcArchiveIndexComponent;

/**
 * The real index (index-jdbc's component on embedded Derby under target/derby) holding the files
 * given: what the C-FIND SCP queries in these tests, as it does in the distribution.
 */
final class TestIndex {

    static {
        System.setProperty("derby.stream.error.file", Path.of("target", "derby.log").toAbsolutePath().toString());
        // a test database need not survive a power cut: no sync at each commit
        System.setProperty("derby.system.durability", "test");
    }

    private TestIndex() {
    }

    /**
     * A fresh index with every file recorded (files the index refuses are left out: the archive
     * would refuse them too).
     *
     * @param settings index configuration values by attribute name (maxMatches, fuzzyPersonNames...);
     *                 the others keep their defaults
     * @return the index and the files it holds
     */
    static Loaded create(String name, List<Path> files, Map<String, Object> settings) throws Exception {
        Path dir = Path.of("target", "derby", name).toAbsolutePath();
        deleteRecursively(dir);
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.toString());
        ds.setCreateDatabase("create");
        ArchiveIndex index = new JdbcArchiveIndexComponent(ds, config(settings));
        List<Path> recorded = new ArrayList<>();
        for (Path file : files) {
            DataSet header;
            String syntax;
            try (DicomReader reader = DicomReader.open(file)) {
                header = reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
                syntax = reader.transferSyntax().uid();
            } catch (IOException | RuntimeException e) {
                continue;
            }
            try {
                index.record(header, new StoredObject("test", file.toString(), Files.size(file), "SHA-256", "00"), syntax,
                        Instant.now(), false);
                recorded.add(file);
            } catch (IndexException e) {
                // duplicates and headers without UIDs stay out, as in the archive
            }
        }
        return new Loaded(index, recorded);
    }

    record Loaded(ArchiveIndex index, List<Path> files) {
    }

    /** The index component's configuration annotation: each attribute its default unless given. */
    private static JdbcArchiveIndexComponent.Config config(Map<String, Object> values) {
        return (JdbcArchiveIndexComponent.Config) Proxy.newProxyInstance(TestIndex.class.getClassLoader(),
                new Class<?>[] {JdbcArchiveIndexComponent.Config.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return JdbcArchiveIndexComponent.Config.class;
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
