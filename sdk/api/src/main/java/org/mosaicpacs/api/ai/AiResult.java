package org.mosaicpacs.api.ai;

import java.util.List;
import java.util.Objects;

import org.mosaicpacs.dicom.DataSet;

/**
 * What a connector produced.
 *
 * @param objects complete composite instances to store in the request's study (a Segmentation,
 *                a Structured Report, a Secondary Capture...): each has its SOP Class UID, SOP
 *                Instance UID, Study Instance UID (the request's), Series Instance UID and,
 *                for images, Pixel Data in native encoding. The pipeline writes each in Explicit VR
 *                Little Endian with File Meta Information and stores it through the archive.
 *                Values held as {@link org.mosaicpacs.dicom.BulkData} must stay readable until
 *                {@link AiConnector#process} has returned and the pipeline stored them: prefer
 *                values in memory.
 * @param summary one line for the job list (what was found), no patient data
 */
public record AiResult(List<DataSet> objects, String summary) {

    public AiResult {
        objects = List.copyOf(objects);
        Objects.requireNonNull(summary, "summary");
    }

    /** A result with these objects. */
    public static AiResult of(String summary, DataSet... objects) {
        return new AiResult(List.of(objects), summary);
    }

    /** A result without objects: the algorithm ran and found nothing to report. */
    public static AiResult nothingFound(String summary) {
        return new AiResult(List.of(), summary);
    }
}
