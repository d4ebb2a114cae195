package org.mosaicpacs.archive.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;

import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.transcode.Transcoder;

/** An archive ingest over a folder and an in-memory index, and helpers on raw Part 10 bytes. */
final class IngestFixture {

    final DirectoryStorage storage;
    final InMemoryIndex index = new InMemoryIndex();
    final Ingest ingest;

    IngestFixture(Path root, DuplicatePolicy policy, String... coercions) {
        this(root, CompressionPolicy.OFF, () -> null, policy, coercions);
    }

    /**
     * @param compression what to compress on ingest
     * @param transcoder  the transcoder registered now (null while none is)
     */
    IngestFixture(Path root, CompressionPolicy compression, Supplier<Transcoder> transcoder, DuplicatePolicy policy,
                  String... coercions) {
        this(new DirectoryStorage(root), compression, transcoder, 4 << 20, policy, coercions);
    }

    IngestFixture(DirectoryStorage storage, CompressionPolicy compression, Supplier<Transcoder> transcoder,
                  int spoolMemoryLimit, DuplicatePolicy policy, String... coercions) {
        this.storage = storage;
        ArchiveSettings settings = new ArchiveSettings("fs", policy, CoercionRule.parseAll(coercions), 0, 64L << 20,
                compression);
        IngestCompressor compressor = new IngestCompressor(compression, transcoder, spoolMemoryLimit,
                storage.root.resolveSibling(storage.root.getFileName() + "-spool"));
        ingest = new Ingest(index, id -> "fs".equals(id) ? storage : null, settings, compressor,
                Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC), Runnable::run);
    }

    Ingest.Stored storeFile(Path file) throws IOException, ArchiveException {
        try (InputStream in = Files.newInputStream(file)) {
            return ingest.store(StoreRequest.part10("TEST"), in);
        }
    }

    Path storedPath(Ingest.Stored stored) {
        return storage.root.resolve(stored.outcome().instance().storageKey());
    }

    List<Path> storedFiles() throws IOException {
        if (!Files.exists(storage.root)) {
            return List.of();
        }
        try (var files = Files.walk(storage.root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /**
     * Where the data set starts in a file, computed from the raw bytes without our parser:
     * after "DICM" and the meta group whose length (0002,0000) gives (PS3.10 7.1), or 0 for a
     * file without meta information.
     */
    static int dataSetStart(byte[] file) {
        int base;
        if (file.length >= 132 && file[128] == 'D' && file[129] == 'I' && file[130] == 'C' && file[131] == 'M') {
            base = 132;
        } else if (file.length >= 4 && file[0] == 'D' && file[1] == 'I' && file[2] == 'C' && file[3] == 'M') {
            base = 4;
        } else {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getShort(base) != 0x0002 || b.getShort(base + 2) != 0x0000) {
            throw new IllegalArgumentException("meta information without group length");
        }
        return base + 12 + b.getInt(base + 8);
    }

    static byte[] dataSetBytes(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int start = dataSetStart(all);
        return java.util.Arrays.copyOfRange(all, start, all.length);
    }
}
