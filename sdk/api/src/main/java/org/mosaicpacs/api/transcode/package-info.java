/**
 * Converting instances and frames between transfer syntaxes: the service the core offers to the
 * retrieve services (C-STORE, C-MOVE and C-GET sub-operations), DICOMweb (WADO-RS instances and
 * frames per the Accept header, rendered and thumbnail images) and archive policies (compress on
 * ingest).
 *
 * <p>{@link org.mosaicpacs.api.transcode.Transcoder} converts a whole instance streaming from an
 * {@code InputStream} to an {@code OutputStream}, and opens a stored instance for random access
 * to single frames ({@link org.mosaicpacs.api.transcode.FrameReader}). Uncompressed syntaxes are
 * converted by the DICOM library; compressed ones through the
 * {@link org.mosaicpacs.api.codec.CodecRegistry}, so what can be converted follows the codec
 * bundles installed at the moment of the call.
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.api.transcode;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
