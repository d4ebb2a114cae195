package org.mosaicpacs.shell.internal;

import java.io.InputStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.storage.ObjectChecksum;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * {@code mosaic:archive-verify}: checks that every instance the index knows can be read from its
 * storage (and, with {@code --checksums}, still has the bytes it was stored with). Prints one
 * line per problem and a summary; the last line starts with {@code OK} or {@code FAILED}.
 */
@Service
@Command(scope = "mosaic", name = "archive-verify", description = "Checks that every indexed instance is in storage, intact")
public class ArchiveVerifyCommand implements Action {

    private static final int PAGE = 500;

    @Reference
    ArchiveIndex index;

    @Reference
    Archive archive;

    @Option(name = "--checksums", aliases = "-c", description = "read every object and compare its checksum (slow)")
    boolean checksums;

    @Override
    public Object execute() throws Exception {
        long studies = 0;
        long instances = 0;
        long problems = 0;
        for (int offset = 0; ; offset += PAGE) {
            DataSet keys = new DataSet();
            keys.setNull(Tag.StudyInstanceUID, VR.UI);
            List<String> page = new java.util.ArrayList<>();
            try (QueryResults results = index.query(new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys,
                    false, false, false, offset, PAGE))) {
                results.forEachRemaining(study -> page.add(study.getString(Tag.StudyInstanceUID)));
            }
            for (String study : page) {
                studies++;
                for (InstanceRecord record : index.findInstances(study, null)) {
                    instances++;
                    String problem = check(record);
                    if (problem != null) {
                        problems++;
                        System.out.println("PROBLEM " + record.sopInstanceUid() + " (" + record.storageId() + ":"
                                + record.storageKey() + "): " + problem);
                    }
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        System.out.println((problems == 0 ? "OK" : "FAILED") + ": " + studies + " studies, " + instances + " instances, "
                + problems + " problems" + (checksums ? " (checksums compared)" : ""));
        return null;
    }

    private String check(InstanceRecord record) {
        try (StoredInstance stored = archive.open(record.sopInstanceUid());
             InputStream in = stored.stream()) {
            if (!checksums) {
                return in.read() < 0 ? "empty object" : null;
            }
            ObjectChecksum.Result read = ObjectChecksum.of(record.checksumAlgorithm(), in);
            if (read.size() != record.size()) {
                return "size " + read.size() + ", indexed " + record.size();
            }
            if (!read.hex().equals(record.checksum())) {
                return record.checksumAlgorithm() + " checksum differs from the one recorded at ingest";
            }
            return null;
        } catch (Exception e) {
            return e.getMessage();
        }
    }
}
