/**
 * The DICOM data model: {@link org.mosaicpacs.dicom.DataSet} with typed access,
 * {@link org.mosaicpacs.dicom.Sequence}s, {@link org.mosaicpacs.dicom.BulkData} references and
 * encapsulated {@link org.mosaicpacs.dicom.Fragments}; the PS3.6 data dictionary
 * ({@link org.mosaicpacs.dicom.Tag} constants, {@link org.mosaicpacs.dicom.ElementDictionary}) and
 * UID registry ({@link org.mosaicpacs.dicom.UID}, {@link org.mosaicpacs.dicom.UidRegistry});
 * {@link org.mosaicpacs.dicom.VR}s, {@link org.mosaicpacs.dicom.TransferSyntax}es, Specific
 * Character Sets, person names, dates and ranges, and UID generation. Reading and writing is in
 * {@link org.mosaicpacs.dicom.io}.
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.dicom;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
