package org.mosaicpacs.dicom.io;

import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.ElementPath;
import org.mosaicpacs.dicom.VR;

/**
 * Decides how DICOM JSON (PS3.18 F.2.6) and Native DICOM Model XML (PS3.19 A.1) writers give a
 * value held as {@link BulkData}: as a BulkDataURI, or inline (InlineBinary, read through a
 * {@link BulkDataResolver}). A WADO-RS /metadata resource supplies one that makes its own URLs
 * from the study, series and instance and the element path. Values held in memory are always
 * written inline. Called once per bulk value, on the writing thread.
 */
@FunctionalInterface
public interface BulkDataUriPolicy {

    /**
     * @param path where the element is (its tag, and the sequence items above it)
     * @param vr the element's VR
     * @param value where the value is: a Pixel Data, OB, OW... value read by reference, or the
     *        whole encapsulated Pixel Data ({@link org.mosaicpacs.dicom.Fragments#source()})
     * @return the BulkDataURI, or null to write the value inline
     */
    String bulkDataUri(ElementPath path, VR vr, BulkData value);

    /** The source's own URI with offset and length ({@link BulkData#toUriString()}), e.g. {@code file:} URIs. */
    static BulkDataUriPolicy sourceUri() {
        return (path, vr, value) -> value.toUriString();
    }

    /** Every value inline. */
    static BulkDataUriPolicy inline() {
        return (path, vr, value) -> null;
    }
}
