package org.mosaicpacs.storage.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Duration;

import org.mosaicpacs.api.MosaicConstants;
import org.mosaicpacs.api.storage.ObjectChecksum;
import org.mosaicpacs.api.storage.ObjectDescriptor;
import org.mosaicpacs.api.storage.ObjectWriter;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageBackendProperties;
import org.mosaicpacs.api.storage.StorageException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * An S3 {@link StorageBackend} per factory configuration {@code org.mosaicpacs.storage.s3~<name>}:
 * several buckets or stores can serve at once, each under its own storage id. The archive sends new
 * objects to the one its {@code storageId} names; objects stored elsewhere stay readable from the
 * backend their index record names. Several nodes may share one bucket (and one PostgreSQL index).
 */
@Component(service = StorageBackend.class, configurationPid = S3StorageComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = S3StorageComponent.Config.class, factory = true)
@StorageBackendProperties(id = "s3")
public class S3StorageComponent implements StorageBackend {

    static final String PID = "org.mosaicpacs.storage.s3";
    private static final Logger LOG = LoggerFactory.getLogger(S3StorageComponent.class);

    @ObjectClassDefinition(name = "Mosaic S3 storage",
            description = "Stores objects in a bucket of an S3-compatible object store (AWS S3, MinIO, Ceph...).")
    public @interface Config {

        @AttributeDefinition(name = "Storage id", description = "Id recorded in the index for every object stored "
                + "here; the archive's storageId names it to send new objects here.")
        String mosaic_storage_id() default "s3";

        @AttributeDefinition(name = "Endpoint", description = "URL of the object store, e.g. http://minio:9000; empty "
                + "means AWS S3 of the region.")
        String endpoint() default "";

        @AttributeDefinition(name = "Region")
        String region() default "us-east-1";

        @AttributeDefinition(name = "Bucket", description = "An existing bucket.")
        String bucket();

        @AttributeDefinition(name = "Key prefix", description = "Put in front of every object's path in the bucket, "
                + "e.g. mosaic/. Changing it strands the objects stored before.")
        String prefix() default "";

        @AttributeDefinition(name = "Path-style access", description = "http://host/bucket/key instead of "
                + "http://bucket.host/key; most stores other than AWS need it.")
        boolean pathStyleAccess() default false;

        @AttributeDefinition(name = "Access key", description = "Empty: the AWS default chain (environment variables "
                + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws, an instance role).")
        String accessKey() default "";

        @AttributeDefinition(name = "Secret key", type = AttributeType.PASSWORD)
        String secretKey() default "";

        @AttributeDefinition(name = "Path pattern", description = "Path of an object below the prefix. Tokens: {study} "
                + "{series} {sop} {yyyy} {MM} {dd} {HH} {hash}.")
        String pathPattern() default "{study}/{series}/{sop}.dcm";

        @AttributeDefinition(name = "Checksum algorithm", description = "Checksum recorded per new object: CRC32C "
                + "(also sent with the PUT, so the store refuses bytes damaged on the way) or a digest (SHA-256...).")
        String checksumAlgorithm() default ObjectChecksum.CRC32C;

        @AttributeDefinition(name = "Spool folder", description = "Where objects wait for their PUT; empty means "
                + "<karaf.data>/mosaic/s3-spool/<storage id>.")
        String spoolFolder() default "";

        @AttributeDefinition(name = "Spool free-space reserve (MB)", description = "New objects are refused (C-STORE "
                + "A700) when they would leave the spool's file system less free space than this.")
        long minSpoolFreeSpaceMB() default 1024;

        @AttributeDefinition(name = "Multipart threshold (MB)", description = "Objects larger than this go in a "
                + "multipart upload (at most 5120: the most one PUT carries).")
        long multipartThresholdMB() default 100;

        @AttributeDefinition(name = "Multipart part size (MB)", description = "At least 5 (S3's minimum).")
        long multipartPartSizeMB() default 16;

        @AttributeDefinition(name = "Connect timeout (s)")
        int connectTimeoutSeconds() default 10;

        @AttributeDefinition(name = "Socket timeout (s)", description = "Longest wait for the store's next bytes.")
        int socketTimeoutSeconds() default 60;
    }

    private final S3Client client;
    private final S3Storage storage;

    @Activate
    public S3StorageComponent(Config config, BundleContext context) throws IOException {
        this.client = client(config);
        try {
            Path spool = config.spoolFolder().isBlank()
                    ? Path.of(dataFolder(context), MosaicConstants.DATA_FOLDER, "s3-spool", config.mosaic_storage_id())
                    : Path.of(config.spoolFolder());
            this.storage = new S3Storage(config.mosaic_storage_id(), client, config.bucket(), config.prefix(),
                    config.pathPattern(), config.checksumAlgorithm(), spool, config.minSpoolFreeSpaceMB() * 1024 * 1024,
                    new S3Storage.Uploads(config.multipartThresholdMB() * 1024 * 1024,
                            config.multipartPartSizeMB() * 1024 * 1024));
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        String where = (config.endpoint().isBlank() ? "AWS " + config.region() : config.endpoint()) + " bucket "
                + config.bucket() + (config.prefix().isBlank() ? "" : " prefix " + config.prefix());
        try {
            storage.checkBucket();
            LOG.info("S3 storage '{}' at {} (pattern {}, {})", storage.id(), where, config.pathPattern(),
                    config.checksumAlgorithm());
        } catch (StorageException e) {
            // registered all the same: the store may come back, and each object's failure names the cause
            LOG.error("S3 storage '{}' at {} is not usable now; objects sent to it fail until it is: {}", storage.id(),
                    where, e.getMessage());
        }
    }

    private static S3Client client(Config config) {
        return client(config.endpoint(), config.region(), config.pathStyleAccess(), config.accessKey(),
                config.secretKey(), Duration.ofSeconds(config.connectTimeoutSeconds()),
                Duration.ofSeconds(config.socketTimeoutSeconds()));
    }

    /** The client as configured: also what the tests use, so they talk to the store the way Karaf does. */
    static S3Client client(String endpoint, String region, boolean pathStyleAccess, String accessKey, String secretKey,
                           Duration connectTimeout, Duration socketTimeout) {
        AwsCredentialsProvider credentials = accessKey.isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(pathStyleAccess)
                // Checksums only where S3 requires them: the PUT carries our own CRC32C instead, and
                // stores other than AWS (older MinIO, Ceph) refuse the SDK's default trailing checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(connectTimeout)
                        .socketTimeout(socketTimeout)
                        .build());
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        // The SDK looks up its plugins (interceptors, defaults) through the context class loader: in
        // OSGi that must be this bundle's, which holds the SDK.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(S3StorageComponent.class.getClassLoader());
        try {
            return builder.build();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static String dataFolder(BundleContext context) {
        String data = context.getProperty("karaf.data");
        return data != null ? data : System.getProperty("user.dir") + "/data";
    }

    @Deactivate
    void deactivate() {
        client.close();
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
