package org.mosaicpacs.archive.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

import org.mosaicpacs.api.storage.ObjectDescriptor;
import org.mosaicpacs.api.storage.ObjectWriter;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageFullException;
import org.mosaicpacs.api.storage.StoredObject;

/** A plain folder as storage for the archive's unit tests (the real backend is storage-fs). */
final class DirectoryStorage implements StorageBackend {

    final Path root;

    DirectoryStorage(Path root) {
        this.root = root;
    }

    @Override
    public String id() {
        return "fs";
    }

    @Override
    public ObjectWriter create(ObjectDescriptor object, long expectedSize) throws IOException {
        String key = object.studyInstanceUid() + "/" + object.sopInstanceUid() + ".dcm";
        Path temp = root.resolve("tmp-" + UUID.randomUUID());
        Files.createDirectories(root);
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        OutputStream file = Files.newOutputStream(temp);
        CountingOut counting = new CountingOut(file);
        DigestOutputStream out = new DigestOutputStream(counting, md);
        return new ObjectWriter() {
            boolean done;

            @Override
            public OutputStream stream() {
                return out;
            }

            @Override
            public StoredObject commit() throws IOException {
                out.close();
                Path target = root.resolve(key);
                Files.createDirectories(target.getParent());
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                done = true;
                return new StoredObject("fs", key, counting.count, "SHA-256", HexFormat.of().formatHex(md.digest()));
            }

            @Override
            public void close() throws IOException {
                if (!done) {
                    out.close();
                    Files.deleteIfExists(temp);
                }
            }
        };
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(root.resolve(key));
    }

    @Override
    public SeekableByteChannel openChannel(String key) throws IOException {
        return FileChannel.open(root.resolve(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.exists(root.resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(root.resolve(key));
    }

    /** Counts bytes; a disk-full condition of the underlying file system surfaces as StorageFullException. */
    private static final class CountingOut extends java.io.FilterOutputStream {
        long count;

        CountingOut(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).contains("No space left")) {
                    throw new StorageFullException("disk full: " + e.getMessage());
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
