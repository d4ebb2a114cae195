package org.mosaicpacs.itests.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.TestFiles;

/**
 * S3Proxy, an independent S3 server, in this JVM on its filesystem store: the objects of a bucket
 * are files under {@link #objects}, which a test reads without going through Mosaic.
 */
final class S3ProxyServer implements AutoCloseable {

    private static final String ACCESS_KEY = "mosaic";
    private static final String SECRET_KEY = "mosaic-secret";

    private final Path store;
    private final String bucket;
    private final int port = Ports.free();
    private final BlobStoreContext context;
    private S3Proxy proxy;

    /** Starts it with one empty bucket, its store in a fresh {@code store} folder. */
    S3ProxyServer(Path store, String bucket) throws Exception {
        this.store = store.toAbsolutePath();
        this.bucket = bucket;
        TestFiles.freshDirectory(this.store);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", this.store.toString());
        context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential").overrides(properties)
                .build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, bucket);
        start();
    }

    /** Starts it again, on the same port and store, after {@link #stop()}. */
    void start() throws Exception {
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        for (int i = 0; i < 1000 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        assertThat(proxy.getState()).isEqualTo("STARTED");
    }

    void stop() throws Exception {
        proxy.stop();
    }

    /** The folder holding the bucket's objects below {@code prefix}. */
    Path objects(String prefix) {
        return store.resolve(bucket).resolve(prefix);
    }

    /**
     * Configures a distribution the way the admin guide says: the S3 backend as storage id {@code s3}
     * in this bucket below {@code prefix}, the archive storing new objects there, the feature at boot.
     */
    void configure(MosaicServer server, String prefix) {
        server.setProperties("etc/org.mosaicpacs.storage.s3-main.cfg", Map.of(
                "mosaic.storage.id", "s3",
                "endpoint", "http://127.0.0.1:" + port,
                "bucket", bucket,
                "prefix", prefix,
                "pathStyleAccess", "true",
                "accessKey", ACCESS_KEY,
                "secretKey", SECRET_KEY));
        server.setProperty("etc/org.mosaicpacs.archive.cfg", "storageId", "s3");
        server.addBootFeature("mosaic-storage-s3");
    }

    @Override
    public void close() throws IOException {
        try {
            proxy.stop();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot stop S3Proxy", e);
        } finally {
            context.close();
        }
    }
}
