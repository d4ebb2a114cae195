package org.mosaicpacs.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.Status;

/**
 * {@code mosaic:store PEER PATH...}: sends DICOM files (folders are walked) with C-STORE, with a
 * progress bar. The files' meta information is read first so that every SOP class is proposed with
 * the files' own transfer syntaxes and the uncompressed ones (at most 128 contexts per
 * association; more SOP classes take several associations). Files that are no Part 10 DICOM are
 * skipped; a file the peer refuses is listed, and the others go on.
 */
@Service
@Command(scope = "mosaic", name = "store", description = "Sends DICOM files or folders to a remote DICOM node (C-STORE)")
public class StoreCommand extends DicomCommandSupport {

    private static final List<String> UNCOMPRESSED = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);
    private static final int MAX_CONTEXTS = 128;
    private static final int MAX_LISTED = 20;

    @Argument(index = 1, name = "paths", required = true, multiValued = true, description = "DICOM files or folders")
    @org.apache.karaf.shell.api.action.Completion(FileCompleter.class)
    List<String> paths;

    /** A file to send: its SOP class and transfer syntax from the meta information. */
    private record DicomFile(Path path, String sopClass, String transferSyntax, long size) {
    }

    @Override
    public Object execute() throws Exception {
        Peer p = peer();
        List<String> skipped = new ArrayList<>();
        List<DicomFile> files = scan(skipped);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no DICOM files in " + paths + (skipped.isEmpty() ? "" : " ("
                    + skipped.size() + " other files skipped)"));
        }
        long totalBytes = files.stream().mapToLong(DicomFile::size).sum();
        Progress progress = new Progress(System.out);
        List<String> failures = new ArrayList<>();
        int done = 0;
        long bytes = 0;
        int warnings = 0;
        try (DicomClient client = client(p)) {
            for (List<DicomFile> batch : batches(files)) {
                try (Association as = connect(client, p, contexts(request(p), batch))) {
                    for (DicomFile f : batch) {
                        String failure = null;
                        try {
                            DimseResponse r = as.store(f.path());
                            if (r.isWarning()) {
                                warnings++;
                            } else if (!r.isSuccess()) {
                                failure = Status.describe(r.status())
                                        + (r.errorComment() != null ? " " + r.errorComment() : "");
                            }
                        } catch (IOException e) {
                            if (!as.isOpen()) {
                                throw new IOException("the association with " + p + " ended while sending " + f.path()
                                        + ": " + e.getMessage(), e);
                            }
                            failure = e.getMessage();
                        }
                        if (failure != null) {
                            failures.add(f.path() + ": " + failure);
                        }
                        done++;
                        bytes += f.size();
                        progress.show(done, files.size(), String.format("%d failed, %.1f MB/s", failures.size(),
                                progress.megabytesPerSecond(bytes)));
                    }
                }
            }
        }
        progress.done(String.format("%d of %d files (%.1f MB) stored on %s, %d with warnings, %d failed", done
                - failures.size(), files.size(), totalBytes / 1e6, p, warnings, failures.size()));
        failures.stream().limit(MAX_LISTED).forEach(f -> System.out.println("  failed: " + f));
        if (failures.size() > MAX_LISTED) {
            System.out.println("  ... and " + (failures.size() - MAX_LISTED) + " more");
        }
        if (!skipped.isEmpty()) {
            System.out.println(skipped.size() + " files skipped (no DICOM Part 10 meta information), e.g. "
                    + skipped.get(0));
        }
        if (!failures.isEmpty() && failures.size() == files.size()) {
            throw new IllegalStateException("no file was stored on " + p.aeTitle());
        }
        return null;
    }

    private List<DicomFile> scan(List<String> skipped) throws IOException {
        List<DicomFile> files = new ArrayList<>();
        for (String given : paths) {
            Path root = Path.of(given);
            if (!Files.exists(root)) {
                throw new IllegalArgumentException(given + " does not exist");
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                    try (DicomReader reader = DicomReader.open(f)) {
                        DataSet meta = reader.fileMetaInformation();
                        String sopClass = meta == null ? null : meta.getString(Tag.MediaStorageSOPClassUID);
                        if (sopClass == null || meta.getString(Tag.MediaStorageSOPInstanceUID) == null) {
                            skipped.add(f.toString());
                            continue;
                        }
                        files.add(new DicomFile(f, sopClass.strip(), reader.transferSyntax().uid(), Files.size(f)));
                    } catch (IOException | RuntimeException e) {
                        skipped.add(f.toString());
                    }
                }
            }
        }
        return files;
    }

    /** The files grouped so that no association needs more than 128 presentation contexts. */
    private static List<List<DicomFile>> batches(List<DicomFile> files) {
        Map<String, Set<String>> syntaxes = syntaxesBySopClass(files);
        List<List<DicomFile>> batches = new ArrayList<>();
        Set<String> classes = new LinkedHashSet<>();
        int contexts = 0;
        for (Map.Entry<String, Set<String>> e : syntaxes.entrySet()) {
            int needed = 1 + e.getValue().size();
            if (!classes.isEmpty() && contexts + needed > MAX_CONTEXTS) {
                batches.add(filesOf(files, classes));
                classes = new LinkedHashSet<>();
                contexts = 0;
            }
            classes.add(e.getKey());
            contexts += needed;
        }
        batches.add(filesOf(files, classes));
        return batches;
    }

    private static List<DicomFile> filesOf(List<DicomFile> files, Set<String> sopClasses) {
        return files.stream().filter(f -> sopClasses.contains(f.sopClass())).toList();
    }

    /** Each SOP class with the syntaxes of its files other than Explicit and Implicit VR Little Endian. */
    private static Map<String, Set<String>> syntaxesBySopClass(List<DicomFile> files) {
        Map<String, Set<String>> syntaxes = new LinkedHashMap<>();
        for (DicomFile f : files) {
            Set<String> s = syntaxes.computeIfAbsent(f.sopClass(), k -> new LinkedHashSet<>());
            if (!UNCOMPRESSED.contains(f.transferSyntax())) {
                s.add(f.transferSyntax());
            }
        }
        return syntaxes;
    }

    /**
     * For each SOP class one context with the uncompressed syntaxes and one per other syntax of
     * its files: the peer can take a file as it is, or the uncompressed form the SCU converts to.
     */
    private static AAssociateRq.Builder contexts(AAssociateRq.Builder rq, List<DicomFile> batch) {
        for (Map.Entry<String, Set<String>> e : syntaxesBySopClass(batch).entrySet()) {
            rq.presentationContext(e.getKey(), UNCOMPRESSED);
            for (String ts : e.getValue()) {
                rq.presentationContext(e.getKey(), ts);
            }
        }
        return rq;
    }
}
