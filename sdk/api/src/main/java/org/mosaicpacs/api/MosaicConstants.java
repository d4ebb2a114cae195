package org.mosaicpacs.api;

/**
 * Product-wide constants: the defaults an unconfigured distribution runs with.
 */
public final class MosaicConstants {

    /** Default DICOM Application Entity title of the archive. */
    public static final String DEFAULT_AE_TITLE = "MOSAIC";

    /** Default DICOM port (PS3.15 registers 11112 for DICOM without TLS). */
    public static final int DEFAULT_DICOM_PORT = 11112;

    /** Default HTTP port for DICOMweb and the REST API. */
    public static final int DEFAULT_HTTP_PORT = 8181;

    /** Folder under the Karaf data directory that holds the index database and stored objects. */
    public static final String DATA_FOLDER = "mosaic";

    /** Name of the JAX-RS whiteboard application serving {@code /api}. */
    public static final String API_APPLICATION_NAME = "mosaic.api";

    /** Base path of the REST administration API. */
    public static final String API_APPLICATION_BASE = "/api";

    /** LDAP filter a resource uses to select the {@code /api} application. */
    public static final String API_APPLICATION_SELECT = "(osgi.jaxrs.name=" + API_APPLICATION_NAME + ")";

    private MosaicConstants() {
    }
}
