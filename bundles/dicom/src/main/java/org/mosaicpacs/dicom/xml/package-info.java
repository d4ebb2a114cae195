/**
 * The Native DICOM Model XML (PS3.19 Annex A.1): {@link org.mosaicpacs.dicom.xml.DicomXmlWriter}
 * and {@link org.mosaicpacs.dicom.xml.DicomXmlReader}, with the JDK's StAX.
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.dicom.xml;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
