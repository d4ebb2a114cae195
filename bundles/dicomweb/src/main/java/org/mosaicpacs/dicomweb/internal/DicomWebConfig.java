package org.mosaicpacs.dicomweb.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of PID {@value #PID}, shared by the application and its components. Every
 * property applies without a restart (the components are re-created with the new values).
 */
@ObjectClassDefinition(name = "Mosaic DICOMweb", description = "QIDO-RS, WADO-RS, STOW-RS and WADO-URI at /dicom-web.")
public @interface DicomWebConfig {

    String PID = "org.mosaicpacs.dicomweb";

    @AttributeDefinition(name = "Base path", description = "Where the application is served (JAX-RS whiteboard "
            + "application base).")
    String osgi_jaxrs_application_base() default DicomWebApplication.DEFAULT_BASE;

    @AttributeDefinition(name = "CORS allowed origins", description = "Origins allowed to call the API from a "
            + "browser, e.g. https://viewer.example.org; * allows any origin; empty disables CORS.")
    String[] corsAllowedOrigins() default {"*"};

    @AttributeDefinition(name = "CORS allow credentials", description = "Answer Access-Control-Allow-Credentials: "
            + "true (cookies); the origin is then echoed instead of *.")
    boolean corsAllowCredentials() default false;

    @AttributeDefinition(name = "CORS preflight max age (s)")
    int corsMaxAgeSeconds() default 3600;

    @AttributeDefinition(name = "STOW-RS size limit (MB)", description = "Larger request bodies are refused with 413.")
    long stowMaxMegabytes() default 2048;

    @AttributeDefinition(name = "Metadata cache (MB)", description = "Compressed series metadata documents kept in "
            + "memory; 0 disables the cache.")
    int metadataCacheMegabytes() default 256;

    @AttributeDefinition(name = "Metadata prebuild delay (s)", description = "A series' metadata document is built "
            + "this long after its last new instance (archive events); negative: only on first request.")
    int metadataPrebuildDelaySeconds() default 5;

    @AttributeDefinition(name = "Bulk data threshold (bytes)", description = "Binary values longer than this are "
            + "given as BulkDataURI in metadata; shorter ones inline.")
    int bulkDataThresholdBytes() default 16384;

    @AttributeDefinition(name = "QIDO-RS default limit", description = "Matches returned when the request names no "
            + "limit (more are announced with a Warning header).")
    int qidoDefaultLimit() default 1000;

    @AttributeDefinition(name = "Rendered JPEG quality", description = "1..100, when the request has no quality.")
    int renderedQuality() default 90;

    @AttributeDefinition(name = "Thumbnail size (pixels)", description = "Longest side of a thumbnail without viewport.")
    int thumbnailSize() default 128;
}
