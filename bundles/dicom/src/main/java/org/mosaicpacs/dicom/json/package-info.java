/**
 * The DICOM JSON Model (PS3.18 Annex F): {@link org.mosaicpacs.dicom.json.DicomJsonWriter} streams
 * data sets as JSON objects or arrays of them (QIDO-RS results, WADO-RS metadata) with a
 * {@link org.mosaicpacs.dicom.io.BulkDataUriPolicy} for bulk data;
 * {@link org.mosaicpacs.dicom.json.DicomJsonReader} reads them back into data sets.
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.dicom.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
