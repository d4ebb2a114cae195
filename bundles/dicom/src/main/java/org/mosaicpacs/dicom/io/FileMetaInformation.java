package org.mosaicpacs.dicom.io;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/** Builds File Meta Information (group 0002, PS3.10 7.1). */
public final class FileMetaInformation {

    /** Mosaic PACS' Implementation Class UID (a 2.25 UUID-derived UID, PS3.5 B.2). */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.248254279484980024886937981540129106554";
    /** Mosaic PACS' Implementation Version Name (at most 16 characters). */
    public static final String IMPLEMENTATION_VERSION_NAME = "MOSAIC_0.1";

    private FileMetaInformation() {
    }

    /**
     * File Meta Information for an instance: version 00\01, the SOP class and instance, the
     * transfer syntax and Mosaic's implementation identity. The group length is written by
     * {@link DicomWriter}.
     */
    public static DataSet create(String sopClassUid, String sopInstanceUid, String transferSyntaxUid) {
        DataSet fmi = new DataSet(8);
        fmi.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        fmi.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClassUid);
        fmi.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstanceUid);
        fmi.setString(Tag.TransferSyntaxUID, VR.UI, transferSyntaxUid);
        fmi.setString(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
        fmi.setString(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION_NAME);
        return fmi;
    }

    /**
     * File Meta Information for a data set, from its SOP Class UID (0008,0016) and SOP Instance
     * UID (0008,0018).
     *
     * @throws IllegalArgumentException if the data set lacks them
     */
    public static DataSet forDataSet(DataSet dataSet, String transferSyntaxUid) {
        String cuid = dataSet.getString(Tag.SOPClassUID);
        String iuid = dataSet.getString(Tag.SOPInstanceUID);
        if (cuid == null || iuid == null) {
            throw new IllegalArgumentException("the data set has no SOP Class UID or SOP Instance UID");
        }
        return create(cuid, iuid, transferSyntaxUid);
    }
}
