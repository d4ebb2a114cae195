/**
 * DICOM networking (PS3.7 DIMSE over the PS3.8 Upper Layer).
 *
 * <ul>
 * <li>{@link org.mosaicpacs.dicom.net.DicomClient} opens associations as SCU;
 *     {@link org.mosaicpacs.dicom.net.DicomServer} accepts them and dispatches requests to
 *     {@link org.mosaicpacs.dicom.net.handler.DimseHandler}s.</li>
 * <li>{@link org.mosaicpacs.dicom.net.Association} is one live association, usable from either side:
 *     C-ECHO, C-STORE (streamed), C-FIND, C-MOVE, C-GET (results streamed, cancellable) and the
 *     DIMSE-N services.</li>
 * <li>The A-ASSOCIATE content is modelled by {@link org.mosaicpacs.dicom.net.AAssociateRq},
 *     {@link org.mosaicpacs.dicom.net.AAssociateAc}, {@link org.mosaicpacs.dicom.net.AAssociateRj}
 *     and {@link org.mosaicpacs.dicom.net.AAbort} with their sub-items (PS3.8 9.3, PS3.7 Annex D).</li>
 * <li>DIMSE statuses are decided in {@link org.mosaicpacs.dicom.net.Status}.</li>
 * </ul>
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.dicom.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
