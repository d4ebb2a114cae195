package org.mosaicpacs.storage.fs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Map;

import org.mosaicpacs.api.MosaicConstants;
import org.mosaicpacs.api.storage.ObjectChecksum;
import org.mosaicpacs.api.storage.ObjectDescriptor;
import org.mosaicpacs.api.storage.ObjectWriter;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageBackendProperties;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filesystem {@link StorageBackend} as a DS component. Without configuration it stores under
 * {@code <karaf.data>/mosaic/objects} with id {@code fs}. A configuration change re-creates the
 * component (new root, layout or reserve apply to new objects at once; existing keys stay valid
 * only if the root is unchanged).
 */
@Component(service = StorageBackend.class, configurationPid = FileSystemStorageComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FileSystemStorageComponent.Config.class)
@StorageBackendProperties(id = "fs")
public class FileSystemStorageComponent implements StorageBackend {

    static final String PID = "org.mosaicpacs.storage.fs";
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemStorageComponent.class);

    @ObjectClassDefinition(name = "Mosaic filesystem storage",
            description = "Stores objects as files below a root folder.")
    public @interface Config {

        @AttributeDefinition(name = "Storage id", description = "Id recorded in the index for every object stored here.")
        String mosaic_storage_id() default "fs";

        @AttributeDefinition(name = "Root folder", description = "Where objects are stored; empty means <karaf.data>/mosaic/objects.")
        String root() default "";

        @AttributeDefinition(name = "Path pattern", description = "Relative path of an object. Tokens: {study} {series} {sop} "
                + "{yyyy} {MM} {dd} {HH} {hash}. By date: {yyyy}/{MM}/{dd}/{study}/{series}/{sop}.dcm")
        String pathPattern() default "{study}/{series}/{sop}.dcm";

        @AttributeDefinition(name = "Free-space reserve (MB)", description = "New objects are refused (C-STORE A700) "
                + "when they would leave less free space than this.")
        long minFreeSpaceMB() default 1024;

        // CRC32C by default: it is made for accidental corruption (bit rot, truncation) and costs
        // a fortieth of SHA-256's CPU, which was a quarter of ingest's (docs/performance.md).
        // Objects keep the algorithm they were stored with, so changing this never breaks verification.
        @AttributeDefinition(name = "Checksum algorithm", description = "Checksum recorded per new object and compared "
                + "by Storage Commitment and mosaic:archive-verify: CRC32C, or a digest (SHA-256, SHA-1, MD5) for "
                + "evidence against deliberate change.")
        String checksumAlgorithm() default ObjectChecksum.CRC32C;

        // Objects are written once and read later: a page-cache copy only costs CPU and makes the
        // commit's fdatasync write the whole object back (docs/performance.md).
        @AttributeDefinition(name = "Direct I/O", description = "Write new objects with direct I/O (O_DIRECT), around "
                + "the page cache, if the file system takes it (checked at start; otherwise through the page cache, "
                + "with a warning in the log).")
        boolean directIo() default true;
    }

    private final FileSystemStorage storage;

    @Activate
    public FileSystemStorageComponent(Config config, BundleContext context, Map<String, Object> properties)
            throws IOException {
        Path root = config.root().isBlank()
                ? Path.of(dataFolder(context), MosaicConstants.DATA_FOLDER, "objects")
                : Path.of(config.root());
        this.storage = new FileSystemStorage(config.mosaic_storage_id(), root, config.pathPattern(),
                config.minFreeSpaceMB() * 1024 * 1024, config.checksumAlgorithm(), config.directIo());
        LOG.info("Filesystem storage '{}' at {} (pattern {}, reserve {} MB, {}, {})", storage.id(), storage.root(),
                config.pathPattern(), config.minFreeSpaceMB(), config.checksumAlgorithm(),
                storage.directIo() ? "direct I/O" : "through the page cache");
    }

    private static String dataFolder(BundleContext context) {
        String data = context.getProperty("karaf.data");
        return data != null ? data : System.getProperty("user.dir") + "/data";
    }

    @Override
    public String id() {
        return storage.id();
    }

    @Override
    public ObjectWriter create(ObjectDescriptor object, long expectedSize) throws IOException {
        return storage.create(object, expectedSize);
    }

    @Override
    public InputStream open(String key) throws IOException {
        return storage.open(key);
    }

    @Override
    public SeekableByteChannel openChannel(String key) throws IOException {
        return storage.openChannel(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return storage.exists(key);
    }

    @Override
    public void delete(String key) throws IOException {
        storage.delete(key);
    }
}
