package org.mosaicpacs.dicom.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.mosaicpacs.dicom.BulkData;

/**
 * Opens the bytes a {@link BulkData} refers to, for writers that copy bulk data from its source.
 * The default, {@link #files()}, reads {@code file:} URIs; a storage backend supplies its own.
 */
@FunctionalInterface
public interface BulkDataResolver {

    /**
     * A stream of exactly the referenced bytes ({@code length} bytes from {@code offset}); the
     * caller closes it.
     */
    InputStream open(BulkData bulkData) throws IOException;

    /** Resolves {@code file:} URIs by seeking in the file. */
    static BulkDataResolver files() {
        return bulk -> {
            if (!"file".equalsIgnoreCase(bulk.uri().getScheme())) {
                throw new IOException("no BulkDataResolver for " + bulk.uri() + " (only file: URIs by default)");
            }
            FileChannel channel = FileChannel.open(Path.of(bulk.uri()), StandardOpenOption.READ);
            try {
                if (bulk.offset() + bulk.length() > channel.size()) {
                    throw new IOException("bulk data " + bulk.toUriString() + " lies beyond the end of the file ("
                            + channel.size() + " bytes)");
                }
                channel.position(bulk.offset());
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            InputStream whole = Channels.newInputStream(channel);
            return new InputStream() {
                private long left = bulk.length();

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = whole.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int r = whole.read(b, off, (int) Math.min(len, left));
                    if (r > 0) {
                        left -= r;
                    }
                    return r;
                }

                @Override
                public void close() throws IOException {
                    whole.close();
                }
            };
        };
    }
}
