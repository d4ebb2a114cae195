package org.mosaicpacs.storage.fs.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

import com.sun.nio.file.ExtendedOpenOption;

import org.mosaicpacs.api.storage.ObjectChecksum;
import org.mosaicpacs.api.storage.ObjectDescriptor;
import org.mosaicpacs.api.storage.ObjectWriter;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageFullException;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.support.storage.PathLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects as files below a root folder.
 *
 * <p>A new object is written to a temporary file in {@code <root>/.incoming/}, flushed to disk,
 * renamed atomically to its final path, and the target folder is flushed too, so that a crash
 * leaves either the complete object under its key or nothing under it. Leftover temporary files
 * from a crash are removed when the backend starts.
 *
 * <p>Objects are written with direct I/O ({@link DirectFileOutput}) when the file system takes it
 * (checked at start: ext4, xfs and tmpfs do, ramfs and some network file systems do not), else
 * through the page cache.
 */
final class FileSystemStorage implements StorageBackend {

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemStorage.class);
    static final String INCOMING = ".incoming";
    private static final int BUFFER = 256 * 1024;
    /** Direct buffers kept for reuse: one per object being written, as many as associations storing at once. */
    private static final int DIRECT_BUFFERS_KEPT = 32;

    private final String id;
    private final Path root;
    private final Path incoming;
    private final PathLayout layout;
    private final long minFreeBytes;
    private final String checksumAlgorithm;
    private final FileStore store;
    /** Null when objects go through the page cache. */
    private final AlignedBufferPool directBuffers;

    FileSystemStorage(String id, Path root, String pathPattern, long minFreeBytes, String checksumAlgorithm)
            throws IOException {
        this(id, root, pathPattern, minFreeBytes, checksumAlgorithm, true);
    }

    /**
     * @param directIo write objects with direct I/O if the file system takes it (else, and if false,
     *                 through the page cache)
     */
    FileSystemStorage(String id, Path root, String pathPattern, long minFreeBytes, String checksumAlgorithm,
                      boolean directIo) throws IOException {
        this.id = id;
        this.root = root.toAbsolutePath().normalize();
        this.layout = new PathLayout(pathPattern);
        this.minFreeBytes = minFreeBytes;
        // fails here, at configuration time, on a name the runtime does not know
        this.checksumAlgorithm = ObjectChecksum.start(checksumAlgorithm).algorithm();
        Files.createDirectories(this.root);
        this.incoming = Files.createDirectories(this.root.resolve(INCOMING));
        this.store = Files.getFileStore(this.root);
        removeLeftovers();
        this.directBuffers = directIo ? directBuffersIfSupported() : null;
    }

    /** Writes one block with direct I/O into the incoming folder: buffers for it if that works, else null. */
    private AlignedBufferPool directBuffersIfSupported() throws IOException {
        long blockSize = store.getBlockSize();
        if (blockSize <= 0 || Long.bitCount(blockSize) != 1 || blockSize > 1024 * 1024) {
            LOG.warn("Storage {}: block size {} of {} does not suit direct I/O; objects are written through the page cache",
                    id, blockSize, root);
            return null;
        }
        AlignedBufferPool pool = new AlignedBufferPool((int) blockSize, Math.max(BUFFER, (int) blockSize),
                DIRECT_BUFFERS_KEPT);
        Path probe = incoming.resolve(UUID.randomUUID() + ".part");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT); DirectFileOutput out = new DirectFileOutput(channel, pool)) {
            out.write(new byte[1]);
            out.complete();
            return pool;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Storage {}: the file system at {} does not take direct I/O ({}); objects are written through the page cache",
                    id, root, e.getMessage());
            return null;
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Whether objects are written with direct I/O. */
    boolean directIo() {
        return directBuffers != null;
    }

    private void removeLeftovers() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(incoming)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.warn("Storage {}: removed {} incomplete object(s) left by an interrupted write in {}", id, removed, incoming);
        }
    }

    @Override
    public String id() {
        return id;
    }

    Path root() {
        return root;
    }

    @Override
    public ObjectWriter create(ObjectDescriptor object, long expectedSize) throws IOException {
        String key = layout.pathFor(object);
        checkFreeSpace(Math.max(expectedSize, 0), key);
        Path temp = incoming.resolve(UUID.randomUUID() + ".part");
        FileChannel channel = directBuffers == null
                ? FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        return new FileObjectWriter(key, temp, channel,
                directBuffers == null ? null : new DirectFileOutput(channel, directBuffers),
                ObjectChecksum.start(checksumAlgorithm));
    }

    private void checkFreeSpace(long expectedSize, String key) throws IOException {
        long usable = store.getUsableSpace();
        if (usable - expectedSize < minFreeBytes) {
            throw new StorageFullException("storage " + id + " refuses " + key + ": " + usable / (1024 * 1024)
                    + " MB free at " + root + ", the reserve is " + minFreeBytes / (1024 * 1024) + " MB");
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(resolve(key));
    }

    @Override
    public SeekableByteChannel openChannel(String key) throws IOException {
        return FileChannel.open(resolve(key), StandardOpenOption.READ);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = resolve(key);
        Files.deleteIfExists(file);
        // Remove folders the layout created and left empty, up to the root.
        for (Path dir = file.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                if (entries.iterator().hasNext()) {
                    break;
                }
            } catch (NoSuchFileException e) {
                continue;
            }
            try {
                Files.delete(dir);
            } catch (IOException e) {
                break; // a concurrent write put something there
            }
        }
    }

    /** The file for a key, refusing keys that would leave the root. */
    Path resolve(String key) throws StorageException {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root) || p.startsWith(incoming)) {
            throw new StorageException("storage " + id + ": key outside the storage root: " + key);
        }
        return p;
    }

    private static boolean isDiskFull(IOException e) {
        String message = e.getMessage();
        return message != null && (message.contains("No space left") || message.contains("Disk quota exceeded"));
    }

    /** Writes into a temporary file; commit moves it into place. */
    private final class FileObjectWriter implements ObjectWriter {
        private final String key;
        private final Path temp;
        private final FileChannel channel;
        private final DirectFileOutput direct;
        private final ObjectChecksum checksum;
        private final CountingStream counting;
        private final OutputStream stream;
        private boolean done;
        private StoredObject finished;

        /** @param direct the direct-I/O output on the channel, or null to write through the page cache */
        FileObjectWriter(String key, Path temp, FileChannel channel, DirectFileOutput direct, ObjectChecksum checksum) {
            this.key = key;
            this.temp = temp;
            this.channel = channel;
            this.direct = direct;
            this.checksum = checksum;
            if (direct != null) {
                this.counting = new CountingStream(direct); // buffers by itself
                this.stream = checksum.wrap(counting);
            } else {
                this.counting = new CountingStream(java.nio.channels.Channels.newOutputStream(channel));
                this.stream = checksum.wrap(new BufferedOutputStream(counting, BUFFER));
            }
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public Optional<StoredObject> finish() throws IOException {
            if (done) {
                throw new IllegalStateException("object " + key + " was already committed or discarded");
            }
            if (finished == null) {
                try {
                    // a direct write's last block and the cut to length wait for commit(), which
                    // may run on another thread while the index writes its rows
                    stream.flush();
                } catch (IOException e) {
                    throw writeFailure(e);
                }
                finished = new StoredObject(id, key, counting.count, checksumAlgorithm, checksum.hex());
            }
            return Optional.of(finished);
        }

        @Override
        public StoredObject commit() throws IOException {
            if (done) {
                throw new IllegalStateException("object " + key + " was already committed or discarded");
            }
            try {
                StoredObject object = finish().orElseThrow();
                if (direct != null) {
                    direct.complete();
                }
                // fdatasync: the bytes and the size needed to read them back (after direct I/O, the
                // blocks' allocation and the disk's write cache); the rename below is made durable
                // by syncing the folder, so the file's other metadata need not be.
                channel.force(false);
                channel.close();
                Path target = resolve(key);
                // a stat first: createDirectories on an existing folder builds and drops an
                // exception with its stack trace, on every object of a series
                if (!Files.isDirectory(target.getParent())) {
                    Files.createDirectories(target.getParent());
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new StorageException("storage " + id + ": " + root + " does not support atomic rename", e);
                }
                syncDirectory(target.getParent());
                done = true;
                return object;
            } catch (IOException e) {
                discard();
                throw writeFailure(e);
            }
        }

        private IOException writeFailure(IOException e) {
            if (e instanceof StorageException) {
                return e;
            }
            if (isDiskFull(e)) {
                return new StorageFullException("storage " + id + " ran out of space writing " + key + ": " + e.getMessage());
            }
            return new StorageException("storage " + id + " could not store " + key + ": " + e, e);
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                discard();
            }
        }

        private void discard() throws IOException {
            done = true;
            try {
                if (direct != null) {
                    direct.release();
                }
                channel.close();
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Makes a rename in a folder durable: the folder entry itself must reach the disk. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Counts bytes on their way to the file, and turns a full disk into StorageFullException early. */
    private final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                if (isDiskFull(e)) {
                    throw new StorageFullException("storage " + id + " ran out of space: " + e.getMessage());
                }
                throw e;
            }
            count += len;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}
