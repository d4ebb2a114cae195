package org.mosaicpacs.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.Tools;

/**
 * Interoperability with DCMTK, both ways: DCMTK's SCUs against our acceptor, our SCU against
 * DCMTK's storescp (Storage and Verification SCP) and dcmqrscp (Query/Retrieve SCP).
 */
class DcmtkInteropTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    private static Path work;
    private static Path ct;
    private static Path mr;
    private static Path mrBigEndian;
    private static DicomServer server;
    private static TestStorage storage;
    private static DicomClient client;

    @BeforeAll
    static void setUp() throws Exception {
        Tools.require("storescp");
        Path pydicom = TestData.realFilesDir().resolve("test_files");
        ct = pydicom.resolve("CT_small.dcm");
        mr = pydicom.resolve("MR_small.dcm");
        mrBigEndian = pydicom.resolve("MR_small_bigendian.dcm");
        work = Path.of("target", "interop").toAbsolutePath();
        deleteTree(work);
        storage = new TestStorage(work.resolve("received"));
        DimseHandler find = (request, context) -> {
            DataSet keys = request.dataSet();
            for (String name : List.of("Doe^John", "Roe^Jane")) {
                DataSet match = new DataSet();
                match.setString(Tag.QueryRetrieveLevel, VR.CS, keys.getString(Tag.QueryRetrieveLevel));
                match.setString(Tag.PatientName, VR.PN, name);
                match.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3." + name.length());
                context.sendPending(DimseResponse.pending(match));
            }
            return DimseResponse.success();
        };
        server = TestHandlers.start(TestHandlers.options().build(), Map.of(UID.Verification, TestHandlers.ECHO,
                UID.CTImageStorage, storage, UID.MRImageStorage, storage,
                UID.StudyRootQueryRetrieveInformationModelFind, find));
        client = DicomClient.builder().build();
    }

    @AfterAll
    static void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    // ------------------------------------------------------------------ DCMTK SCU -> our acceptor

    @Test
    void echoscuReachesOurAcceptor() {
        Tools.Result r = Tools.run(TOOL_TIMEOUT, List.of(Tools.require("echoscu").toString(), "-v", "-aet", "ECHOSCU",
                "-aec", "MOSAIC", "127.0.0.1", Integer.toString(server.port()))).assertSuccess();
        assertThat(r.err() + r.out()).contains("Received Echo Response (Success)");
    }

    @Test
    void storescuStreamsIntoOurHandler() throws Exception {
        Tools.run(TOOL_TIMEOUT, List.of(Tools.require("storescu").toString(), "-aet", "STORESCU", "-aec", "MOSAIC",
                "127.0.0.1", Integer.toString(server.port()), ct.toString(), mr.toString())).assertSuccess();
        for (Path original : List.of(ct, mr)) {
            String iuid = sopInstanceUid(original);
            Path received = storage.received.get(iuid);
            assertThat(received).as("received " + original.getFileName()).isNotNull();
            assertThat(storage.callingAeTitles.get(iuid)).isEqualTo("STORESCU");
            assertSameDataSet(original, received);
        }
    }

    @Test
    void findscuGetsEveryPendingMatch() {
        Tools.Result r = Tools.run(TOOL_TIMEOUT, List.of(Tools.require("findscu").toString(), "-v", "-S",
                "-aet", "FINDSCU", "-aec", "MOSAIC", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName=*",
                "-k", "StudyInstanceUID", "127.0.0.1", Integer.toString(server.port()))).assertSuccess();
        String out = r.err() + r.out();
        assertThat(out).contains("Doe^John").contains("Roe^Jane").contains("Received Final Find Response (Success)");
    }

    // ------------------------------------------------------------------ our SCU -> DCMTK

    @Test
    void ourScuStoresAndEchoesToStorescp() throws Exception {
        int port = Ports.free();
        Path out = work.resolve("storescp");
        Files.createDirectories(out);
        try (ExternalProcess scp = ExternalProcess.start(List.of(Tools.require("storescp").toString(), "-aet", "STORESCP",
                "-od", out.toString(), Integer.toString(port)), work.resolve("storescp-run"), port);
             Association as = client.connect("127.0.0.1", port, AAssociateRq.builder("STORESCP", "MOSAICSCU")
                     .presentationContext(UID.Verification)
                     .presentationContext(UID.CTImageStorage)
                     .presentationContext(UID.MRImageStorage).build())) {
            assertThat(as.echo().isSuccess()).isTrue();
            assertThat(as.store(ct).isSuccess()).isTrue();
            // Explicit VR Big Endian was not proposed: converted on the fly to what was accepted
            assertThat(as.store(mrBigEndian).isSuccess()).as(scp.log()).isTrue();
            as.release();
        }
        try (var files = Files.list(out)) {
            List<Path> stored = files.toList();
            assertThat(stored).hasSize(2);
            for (Path p : stored) {
                try (DicomReader r = DicomReader.open(p)) {
                    assertThat(r.readDataSet().getString(Tag.SOPInstanceUID)).isIn(sopInstanceUid(ct), sopInstanceUid(mrBigEndian));
                }
            }
        }
    }

    @Test
    void ourScuFindsMovesAndGetsFromDcmqrscp() throws Exception {
        Tools.require("dcmqrscp");
        int qrPort = Ports.free();
        Path qrDir = work.resolve("dcmqrscp");
        Path db = Files.createDirectories(qrDir.resolve("db"));
        Path moved = work.resolve("moved");
        TestStorage moveTarget = new TestStorage(moved);
        try (DicomServer destination = TestHandlers.start(TestHandlers.options().aeTitles("OURSTORE").build(),
                Map.of(UID.CTImageStorage, moveTarget, UID.MRImageStorage, moveTarget))) {
            Files.writeString(qrDir.resolve("dcmqrscp.cfg"), String.join("\n",
                    "NetworkTCPPort = " + qrPort,
                    "MaxPDUSize = 16384",
                    "MaxAssociations = 16",
                    "HostTable BEGIN",
                    "ourstore = (OURSTORE, 127.0.0.1, " + destination.port() + ")",
                    "HostTable END",
                    "VendorTable BEGIN",
                    "VendorTable END",
                    "AETable BEGIN",
                    "QRSCP " + db + " RW (100, 1024mb) ANY",
                    "AETable END", ""));
            try (ExternalProcess qr = ExternalProcess.start(List.of(Tools.require("dcmqrscp").toString(), 
                    "-c", qrDir.resolve("dcmqrscp.cfg").toString(), Integer.toString(qrPort)), qrDir, qrPort)) {
                AAssociateRq rq = AAssociateRq.builder("QRSCP", "MOSAICSCU")
                        .presentationContext(UID.CTImageStorage)
                        .presentationContext(UID.MRImageStorage)
                        .presentationContext(UID.StudyRootQueryRetrieveInformationModelFind)
                        .presentationContext(UID.StudyRootQueryRetrieveInformationModelMove)
                        .build();
                try (Association as = client.connect("127.0.0.1", qrPort, rq)) {
                    assertThat(as.store(ct).isSuccess()).as(qr.log()).isTrue();
                    assertThat(as.store(mr).isSuccess()).as(qr.log()).isTrue();

                    DataSet keys = new DataSet();
                    keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
                    keys.setString(Tag.StudyInstanceUID, VR.UI, "");
                    keys.setString(Tag.PatientName, VR.PN, "");
                    List<DataSet> matches = new ArrayList<>();
                    DimseResponse last;
                    try (ResponseStream responses = as.find(UID.StudyRootQueryRetrieveInformationModelFind, keys)) {
                        DimseResponse r;
                        while ((r = responses.next()).isPending()) {
                            matches.add(r.dataSet());
                        }
                        last = r;
                    }
                    assertThat(last.isSuccess()).isTrue();
                    assertThat(matches).extracting(m -> m.getString(Tag.StudyInstanceUID))
                            .containsExactlyInAnyOrder(studyUid(ct), studyUid(mr));

                    DataSet moveKeys = new DataSet();
                    moveKeys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
                    moveKeys.setString(Tag.StudyInstanceUID, VR.UI, studyUid(ct));
                    DimseResponse moveResult;
                    try (ResponseStream responses = as.move(UID.StudyRootQueryRetrieveInformationModelMove, "OURSTORE",
                            moveKeys)) {
                        moveResult = responses.finalResponse();
                    }
                    assertThat(moveResult.isSuccess()).as(moveResult + "\n" + qr.log()).isTrue();
                    assertThat(moveResult.subOperations().completed()).isEqualTo(1);
                    assertThat(moveTarget.received).containsKey(sopInstanceUid(ct));
                    assertThat(moveTarget.callingAeTitles.get(sopInstanceUid(ct))).isEqualTo("QRSCP");
                }

                // C-GET: the C-STOREs come back on the same association to our storage handler
                TestStorage got = new TestStorage(work.resolve("got"));
                AAssociateRq getRq = AAssociateRq.builder("QRSCP", "MOSAICSCU")
                        .presentationContext(UID.StudyRootQueryRetrieveInformationModelGet)
                        .scpRoleContext(UID.MRImageStorage)
                        .build();
                try (Association as = client.connect(new java.net.InetSocketAddress("127.0.0.1", qrPort), getRq,
                        DimseHandlerRegistry.of(Map.of(UID.MRImageStorage, got)))) {
                    DataSet getKeys = new DataSet();
                    getKeys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
                    getKeys.setString(Tag.StudyInstanceUID, VR.UI, studyUid(mr));
                    DimseResponse getResult;
                    try (ResponseStream responses = as.get(UID.StudyRootQueryRetrieveInformationModelGet, getKeys)) {
                        getResult = responses.finalResponse();
                    }
                    assertThat(getResult.isSuccess()).as(getResult + "\n" + qr.log()).isTrue();
                    assertThat(getResult.subOperations().completed()).isEqualTo(1);
                    assertThat(got.received).containsKey(sopInstanceUid(mr));
                    assertSameDataSet(mr, got.received.get(sopInstanceUid(mr)));
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    static String sopInstanceUid(Path file) throws IOException {
        try (DicomReader r = DicomReader.open(file)) {
            return r.fileMetaInformation().getString(Tag.MediaStorageSOPInstanceUID);
        }
    }

    static String studyUid(Path file) throws IOException {
        try (DicomReader r = DicomReader.open(file)) {
            return r.readDataSet().getString(Tag.StudyInstanceUID);
        }
    }

    /** The bytes after the File Meta Information. */
    static byte[] dataSetBytes(Path file) throws IOException {
        long start;
        try (DicomReader r = DicomReader.open(file)) {
            start = r.dataSetPosition();
        }
        byte[] all = Files.readAllBytes(file);
        return java.util.Arrays.copyOfRange(all, (int) start, all.length);
    }

    /**
     * The data set arrived byte for byte as in the original file, except the Data Set Trailing
     * Padding (FFFC,FFFC) that DCMTK does not send.
     */
    static void assertSameDataSet(Path original, Path received) throws IOException {
        byte[] expected = withoutTrailingPadding(dataSetBytes(original));
        byte[] actual = dataSetBytes(received);
        assertThat(java.util.Arrays.equals(expected, actual))
                .as("data set of %s: %d bytes received, %d expected", original.getFileName(), actual.length, expected.length)
                .isTrue();
    }

    /** Cuts a trailing (FFFC,FFFC) element, found as its explicit VR LE header. */
    static byte[] withoutTrailingPadding(byte[] b) {
        for (int i = b.length - 12; i >= 0; i--) {
            if ((b[i] & 0xFF) == 0xFC && (b[i + 1] & 0xFF) == 0xFF && (b[i + 2] & 0xFF) == 0xFC && (b[i + 3] & 0xFF) == 0xFF
                    && b[i + 4] == 'O' && b[i + 5] == 'B') {
                long len = (b[i + 8] & 0xFF) | (b[i + 9] & 0xFF) << 8 | (b[i + 10] & 0xFF) << 16 | (long) (b[i + 11] & 0xFF) << 24;
                if (i + 12 + len == b.length) {
                    return java.util.Arrays.copyOf(b, i);
                }
            }
        }
        return b;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
