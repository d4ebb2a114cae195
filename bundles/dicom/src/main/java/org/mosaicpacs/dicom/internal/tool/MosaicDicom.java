package org.mosaicpacs.dicom.internal.tool;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UidEntry;
import org.mosaicpacs.dicom.UidRegistry;
import org.mosaicpacs.dicom.io.BulkDataUriPolicy;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.FileMetaInformation;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.dicom.xml.DicomXmlWriter;

/**
 * The {@code mosaic-dicom} command line tool: {@code dump}, {@code json}, {@code xml} and
 * {@code convert} of DICOM files, for people and scripts. Exit codes: 0 done, 1 bad input (a
 * message on stderr names the file, and for DICOM errors the tag and byte offset), 2 bad usage.
 * Started by {@code src/main/sh/mosaic-dicom} from a Mosaic PACS distribution's {@code bin/}.
 */
public final class MosaicDicom {

    static final int OK = 0;
    static final int BAD_INPUT = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            usage: mosaic-dicom COMMAND [OPTIONS] FILE...

              dump FILE...                  list the elements as DCMTK's dcmdump does: tag, VR, value,
                                            length, VM and keyword, nested items indented
              json [--pretty] [--inline] FILE...
                                            DICOM JSON (PS3.18 F.2), UTF-8: one object, or an array of
                                            objects for several files; bulk data (Pixel Data, large
                                            OB/OW...) as file: BulkDataURIs, or inline with --inline
              xml [--inline] FILE           Native DICOM Model XML (PS3.19 A.1), UTF-8
              convert --ts UID IN OUT       rewrite IN in another transfer syntax: Implicit VR Little
                                            Endian (1.2.840.10008.1.2), Explicit VR Little Endian
                                            (1.2.840.10008.1.2.1), Explicit VR Big Endian
                                            (1.2.840.10008.1.2.2), Deflated Explicit VR Little Endian
                                            (1.2.840.10008.1.2.1.99); a compressed file can be copied
                                            in its own syntax only

            exit codes: 0 done, 1 bad input (the message names file, tag and byte offset), 2 bad usage
            """;

    private final PrintStream out;
    private final PrintStream err;

    private MosaicDicom(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutput(), false, StandardCharsets.UTF_8);
        int code = run(args, out, System.err);
        out.flush();
        System.exit(code);
    }

    /** Runs one command; what {@code main} does without exiting (for tests). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        MosaicDicom tool = new MosaicDicom(out, err);
        if (args.length == 0) {
            return tool.usage("no command");
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        return switch (args[0]) {
            case "dump" -> tool.dump(rest);
            case "json" -> tool.json(rest);
            case "xml" -> tool.xml(rest);
            case "convert" -> tool.convert(rest);
            case "-h", "--help", "help" -> {
                out.print(USAGE_TEXT);
                yield OK;
            }
            default -> tool.usage("unknown command \"" + args[0] + "\"");
        };
    }

    private int usage(String problem) {
        err.println("mosaic-dicom: " + problem);
        err.print(USAGE_TEXT);
        return USAGE;
    }

    private int failed(Path file, Exception e) {
        String what = e instanceof NoSuchFileException ? "no such file"
                : e instanceof DicomParseException ? "not valid DICOM: " + e.getMessage()
                : e.getMessage() != null ? e.getMessage() : e.toString();
        err.println("mosaic-dicom: " + file + ": " + what);
        return BAD_INPUT;
    }

    // ---------------------------------------------------------------- dump

    private int dump(List<String> args) {
        if (args.isEmpty() || args.stream().anyMatch(a -> a.startsWith("-"))) {
            return usage("dump takes FILE...");
        }
        int result = OK;
        for (String name : args) {
            Path file = Path.of(name);
            if (args.size() > 1) {
                out.println("# " + file);
            }
            try (DicomReader reader = DicomReader.open(file)) {
                new Dumper(out).dump(reader);
            } catch (IOException | RuntimeException e) {
                out.flush();
                result = failed(file, e);
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- json and xml

    private int json(List<String> args) {
        boolean pretty = args.remove("--pretty");
        boolean inline = args.remove("--inline");
        if (args.isEmpty() || args.stream().anyMatch(a -> a.startsWith("-"))) {
            return usage("json takes [--pretty] [--inline] FILE...");
        }
        // read every file first: a bad one fails the command before anything is printed
        List<DataSet> dataSets = new ArrayList<>();
        for (String name : args) {
            try (DicomReader reader = DicomReader.open(Path.of(name))) {
                dataSets.add(reader.readDataSet());
            } catch (IOException | RuntimeException e) {
                return failed(Path.of(name), e);
            }
        }
        try (DicomJsonWriter w = DicomJsonWriter.create(new Unclosable(out))) {
            w.setPrettyPrint(pretty).setBulkDataUriPolicy(inline ? BulkDataUriPolicy.inline() : BulkDataUriPolicy.sourceUri());
            if (dataSets.size() > 1) {
                w.writeStartArray();
            }
            for (DataSet ds : dataSets) {
                w.writeDataSet(ds);
            }
            if (dataSets.size() > 1) {
                w.writeEndArray();
            }
        } catch (IOException e) {
            return failed(Path.of(args.get(0)), e);
        }
        out.println();
        return OK;
    }

    private int xml(List<String> args) {
        boolean inline = args.remove("--inline");
        if (args.size() != 1 || args.get(0).startsWith("-")) {
            return usage("xml takes [--inline] FILE (one file: an XML document has one root)");
        }
        Path file = Path.of(args.get(0));
        DataSet ds;
        try (DicomReader reader = DicomReader.open(file)) {
            ds = reader.readDataSet();
        } catch (IOException | RuntimeException e) {
            return failed(file, e);
        }
        try (DicomXmlWriter w = DicomXmlWriter.create(new Unclosable(out))) {
            w.setBulkDataUriPolicy(inline ? BulkDataUriPolicy.inline() : BulkDataUriPolicy.sourceUri());
            w.writeDocument(ds);
        } catch (IOException e) {
            return failed(file, e);
        }
        return OK;
    }

    // ---------------------------------------------------------------- convert

    private int convert(List<String> args) {
        int ts = args.indexOf("--ts");
        if (ts < 0 || ts + 1 >= args.size()) {
            return usage("convert takes --ts UID IN OUT");
        }
        String uid = args.remove(ts + 1);
        args.remove(ts);
        if (args.size() != 2 || args.stream().anyMatch(a -> a.startsWith("-"))) {
            return usage("convert takes --ts UID IN OUT");
        }
        UidEntry entry = UidRegistry.lookup(uid);
        if (entry == null || !UidEntry.TRANSFER_SYNTAX.equals(entry.type())) {
            return usage(uid + " is not a transfer syntax UID");
        }
        TransferSyntax target = TransferSyntax.of(uid);
        Path in = Path.of(args.get(0));
        Path outFile = Path.of(args.get(1));
        Path temp = null;
        try (DicomReader reader = DicomReader.open(in)) {
            TransferSyntax source = reader.transferSyntax();
            if (target.encapsulated() && !target.uid().equals(source.uid())) {
                return usage("cannot convert to " + target.name() + " (" + target.uid() + "): compressed transfer syntaxes"
                        + " need a codec, and codecs are the mosaic-codec-* bundles of the Mosaic PACS server, not part"
                        + " of this tool; it converts between the uncompressed syntaxes and Deflated");
            }
            if (source.encapsulated() && !target.uid().equals(source.uid())) {
                err.println("mosaic-dicom: " + in + ": its Pixel Data is compressed (" + source.name() + "): converting"
                        + " it to " + target.name() + " needs a codec (the mosaic-codec-* bundles of the Mosaic PACS"
                        + " server), not part of this tool");
                return BAD_INPUT;
            }
            Path dir = outFile.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                err.println("mosaic-dicom: " + outFile + ": no such directory " + dir);
                return BAD_INPUT;
            }
            temp = Files.createTempFile(dir, "." + outFile.getFileName(), ".part");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(temp), 64 * 1024)) {
                DataSet meta = reader.fileMetaInformation();
                if (meta == null) {
                    // no meta information to copy: build it from the data set's SOP Class and Instance UIDs
                    DataSet ds = reader.readDataSet();
                    try (DicomWriter w = DicomWriter.createPart10(os, FileMetaInformation.forDataSet(ds, target.uid()),
                            WriteOptions.defaults())) {
                        w.writeDataSet(ds);
                    }
                } else {
                    DataSet fmi = FileMetaInformation.create(meta.getString(Tag.MediaStorageSOPClassUID),
                            meta.getString(Tag.MediaStorageSOPInstanceUID), target.uid());
                    try (DicomWriter w = DicomWriter.createPart10(os, fmi, WriteOptions.defaults())) {
                        w.transcode(reader); // streaming: nothing is held in memory
                    }
                }
            }
            try {
                Files.move(temp, outFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, outFile, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            return OK;
        } catch (DicomParseException | NoSuchFileException e) {
            return failed(temp == null || e instanceof DicomParseException ? in : outFile, e);
        } catch (IOException | RuntimeException e) {
            // reading is done by then or fails with a DicomParseException: this is the output's
            return failed(temp == null ? in : outFile, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    err.println("mosaic-dicom: cannot remove " + temp + ": " + e.getMessage());
                }
            }
        }
    }

    /** Standard output without closing it when a writer is closed. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** Standard output, buffered. */
    private static final class FileOutput extends BufferedOutputStream {
        FileOutput() {
            super(new java.io.FileOutputStream(java.io.FileDescriptor.out), 64 * 1024);
        }
    }
}
