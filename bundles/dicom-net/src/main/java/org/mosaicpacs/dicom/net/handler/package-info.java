/**
 * The DIMSE handler SPI: what a service (Verification, Storage, Query/Retrieve, Worklist, MPPS,
 * Storage Commitment, a vendor's private SOP class) implements to answer requests received on an
 * association. Handlers are found by SOP Class UID through a
 * {@link org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry}; in OSGi they are whiteboard
 * services carrying {@link org.mosaicpacs.dicom.net.handler.DimseHandler#SOP_CLASS_PROPERTY}
 * (set with {@link org.mosaicpacs.dicom.net.handler.DimseHandlerProperties}).
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.dicom.net.handler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
