package org.mosaicpacs.rest.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.ArchiveException.Reason;
import org.mosaicpacs.api.archive.Deletion;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.api.archive.StoredInstance;

/** The answers of {@code DELETE /api/studies/...}; the itests delete through the running distribution. */
class StudyResourceTest {

    /** An archive whose deletion answers as told. */
    private record DeletingArchive(Deletion result, ArchiveException failure) implements Archive {
        @Override
        public StoreResult store(StoreRequest request, InputStream stream) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StoredInstance open(String sopInstanceUid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Deletion delete(String study, String series) throws ArchiveException {
            if (failure != null) {
                throw failure;
            }
            return new Deletion(study, series, result.instances(), result.series(), result.objectsNotDeleted());
        }
    }

    @Test
    void aDeletedSeriesAnswers200WithWhatWentAndAnUnknownStudy404WithTheReason() {
        var ok = new StudyResource(new DeletingArchive(new Deletion("1.2", null, 3, List.of("1.2.3"), List.of()), null), true);
        StudyResource.Answer series = ok.answer("1.2", "1.2.3");
        assertThat(series.status()).isEqualTo(Response.Status.OK);
        assertThat((Deletion) series.body()).satisfies(d -> {
            assertThat(d.seriesInstanceUid()).isEqualTo("1.2.3");
            assertThat(d.instances()).isEqualTo(3);
        });

        var unknown = new StudyResource(new DeletingArchive(null, new ArchiveException(Reason.NOT_FOUND, "no study 9.9")), true);
        StudyResource.Answer missing = unknown.answer("9.9", null);
        assertThat(missing.status()).isEqualTo(Response.Status.NOT_FOUND);
        assertThat(missing.body()).isEqualTo(Map.of("error", "no study 9.9"));

        var broken = new StudyResource(new DeletingArchive(null,
                new ArchiveException(Reason.PROCESSING_FAILURE, "index failure after deleting 2 of 5 instances")), true);
        assertThat(broken.answer("1.2", null).status()).isEqualTo(Response.Status.INTERNAL_SERVER_ERROR);
    }

    @Test
    void offUntilConfiguredItAnswers403AndSaysHowToTurnItOn() {
        var off = new StudyResource(new DeletingArchive(new Deletion("1.2", null, 3, List.of("1.2.3"), List.of()), null),
                false);
        StudyResource.Answer answer = off.answer("1.2", null);
        assertThat(answer.status()).isEqualTo(Response.Status.FORBIDDEN);
        assertThat(answer.body().toString()).contains("deletionEnabled = true").contains("mosaic:study-delete");

        assertThat(new StudyResource(null, true).answer("1.2", null).status())
                .isEqualTo(Response.Status.SERVICE_UNAVAILABLE);
    }
}
