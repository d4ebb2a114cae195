package org.mosaicpacs.index.jdbc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.testing.ComponentConfig;
import org.mosaicpacs.testing.TestDatabase;

/**
 * The real index (this bundle's component on embedded Derby under target/derby) holding the files
 * given: what the query and retrieve SCPs' tests run against, as they do in the distribution.
 * Shipped to those modules in this module's test-jar.
 */
public final class TestIndex {

    static {
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
    public static Loaded create(String name, List<Path> files, Map<String, Object> settings) throws Exception {
        ArchiveIndex index = new JdbcArchiveIndexComponent(TestDatabase.DERBY.unpooled(name, true),
                ComponentConfig.of(JdbcArchiveIndexComponent.Config.class, settings));
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

    /** The index and the files it holds. */
    public record Loaded(ArchiveIndex index, List<Path> files) {
    }
}
