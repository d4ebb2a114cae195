/**
 * Streaming DICOM encoding: {@link org.mosaicpacs.dicom.io.DicomReader} (Part 10 files and bare
 * data sets, a pull parser with stop conditions and bulk data by reference or handler) and
 * {@link org.mosaicpacs.dicom.io.DicomWriter} (Part 10 files and bare data sets in any
 * uncompressed, deflated or encapsulated transfer syntax, streaming transcoding).
 */
@Export
@Version("1.0.1")
package org.mosaicpacs.dicom.io;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
