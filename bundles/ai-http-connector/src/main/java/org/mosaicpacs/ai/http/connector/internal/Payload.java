package org.mosaicpacs.ai.http.connector.internal;

/** What the connector sends to the inference endpoint. */
public enum Payload {
    /** A JSON document with the study's and each instance's DICOMweb (WADO-RS) URL; the service fetches what it needs. */
    DICOMWEB_URLS,
    /** The instances themselves: {@code multipart/related; type="application/dicom"}, Part 10 as stored. */
    INSTANCES
}
