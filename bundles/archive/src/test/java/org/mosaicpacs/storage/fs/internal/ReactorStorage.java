package org.mosaicpacs.storage.fs.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.mosaicpacs.api.storage.StorageBackend;

/**
 * The reactor's real filesystem storage (temporary file, fsync, atomic rename), for the archive's
 * timing test. Lives in the storage's package on the test classpath only, because its
 * constructor is package-private.
 */
public final class ReactorStorage {

    private ReactorStorage() {
    }

    /** Storage "fs" under {@code root} with the default layout, no free-space reserve, SHA-256 checksums. */
    public static StorageBackend fileSystem(Path root) throws IOException {
        return fileSystem(root, "SHA-256");
    }

    /** The same with checksums of this algorithm. */
    public static StorageBackend fileSystem(Path root, String checksumAlgorithm) throws IOException {
        return new FileSystemStorage("fs", root, "{study}/{series}/{sop}.dcm", 0, checksumAlgorithm);
    }
}
