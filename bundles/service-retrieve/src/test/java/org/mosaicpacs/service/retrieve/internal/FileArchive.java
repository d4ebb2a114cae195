package org.mosaicpacs.service.retrieve.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceRecord;

/**
 * The archive as the retrieve SCP reads it, for tests: each instance recorded in the index with
 * its file path as storage key is opened from that file. Storing is not what these tests do.
 */
final class FileArchive implements Archive {

    private final ArchiveIndex index;

    FileArchive(ArchiveIndex index) {
        this.index = index;
    }

    @Override
    public StoreResult store(StoreRequest request, InputStream stream) {
        throw new UnsupportedOperationException("the retrieve tests only read");
    }

    @Override
    public StoredInstance open(String sopInstanceUid) throws ArchiveException {
        InstanceRecord record;
        try {
            record = index.findInstance(sopInstanceUid).orElseThrow(() -> new ArchiveException(
                    ArchiveException.Reason.NOT_FOUND, "no instance " + sopInstanceUid));
        } catch (IndexException e) {
            throw new ArchiveException(ArchiveException.Reason.PROCESSING_FAILURE, e.getMessage(), e);
        }
        InputStream in;
        try {
            in = Files.newInputStream(Path.of(record.storageKey()));
        } catch (IOException e) {
            throw new ArchiveException(ArchiveException.Reason.PROCESSING_FAILURE, e.getMessage(), e);
        }
        return new StoredInstance() {
            @Override
            public InstanceRecord record() {
                return record;
            }

            @Override
            public InputStream stream() {
                return in;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}
