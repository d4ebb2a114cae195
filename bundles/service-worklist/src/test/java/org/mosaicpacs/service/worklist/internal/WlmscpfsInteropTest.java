package org.mosaicpacs.service.worklist.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.UidGenerator;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.FileMetaInformation;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.TestDatabase;
import org.mosaicpacs.testing.TestFiles;
import org.mosaicpacs.testing.Tools;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The proof: DCMTK's own worklist server {@code wlmscpfs}, given the same items as .wl
 * files, and our SCP on the real store (Derby) answer the same table of {@code findscu -W} queries
 * identically. Both answers are extracted by findscu ({@code -X}), dumped by dcmdump in UTF-8
 * ({@code +U8}: DCMTK decodes each response in its own character set) and compared as sets of
 * responses. Where wlmscpfs departs from PS3.4 the query says so and the test pins both answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WlmscpfsInteropTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    private static final String KOREAN = WorklistFixtures.KOREAN;

    /** Where wlmscpfs (DCMTK 3.6.7) departs from PS3.4 for a query, and how the test judges it. */
    enum Departure {
        /** None: both answers must be identical. */
        NONE,
        /**
         * wlmscpfs matches on a fixed list of keys; an optional matching key outside it (SPS ID,
         * Study Instance UID) is only returned, so it answers every item. PS3.4 K.2.2.1 allows an
         * SCP not to support optional matching keys; we do. Judged: our answers are among
         * wlmscpfs's, and exactly the pinned number.
         */
        KEY_NOT_SUPPORTED,
        /**
         * wlmscpfs refuses a Person Name key with bytes outside 7-bit ASCII (WlmDataSource's
         * character repertoire check), even when the request's Specific Character Set declares
         * them (PS3.5 6.1.2.5, PS3.4 C.2.2.2): it answers A900 "Invalid Character Repertoire for
         * datatype PN", so it cannot match hangul or hanja. (The keys name the ideographic or
         * phonetic component group, where PS3.5 H.3 places Korean text.) Judged: wlmscpfs gives
         * exactly that refusal, ours the pinned matches.
         */
        NON_ASCII_NAME_REFUSED,
        /**
         * wlmscpfs compares Person Names case-sensitively; PS3.4 C.2.2.2.1 lets an SCP ignore case
         * in PN, and ours does by default. Judged: wlmscpfs finds nothing, ours the pinned matches.
         */
        CASE_SENSITIVE_NAMES,
        /**
         * wlmscpfs matches AE, CS and Patient ID (LO) keys literally, so "CT*" finds no station,
         * "M?" no modality, "PID00?" no patient (it does expand wild cards in PN and SH keys);
         * PS3.4 C.2.2.2.4 gives wild card matching to every text VR but DA, TM, DT, UI, DS, IS, AS.
         * Judged: wlmscpfs finds nothing, ours the pinned matches.
         */
        NO_WILDCARDS
    }

    /**
     * One findscu query: its keys on top of the common return keys, the number of items it must
     * match (so that two wrong answers cannot agree on nothing), the character set of the request.
     */
    record Query(String name, int expected, String charset, Departure departure, Consumer<DataSet> top,
                 Consumer<DataSet> step) {
    }

    private static Query q(String name, int expected, Consumer<DataSet> top, Consumer<DataSet> step) {
        return new Query(name, expected, null, Departure.NONE, top, step);
    }

    private static final Consumer<DataSet> NONE = ds -> { };

    static List<Query> queries() {
        return List.of(
                q("all", 9, NONE, NONE),
                q("station-ae", 3, NONE, s -> s.setString(Tag.ScheduledStationAETitle, VR.AE, "CT1")),
                new Query("station-ae-wildcard", 4, null, Departure.NO_WILDCARDS, NONE,
                        s -> s.setString(Tag.ScheduledStationAETitle, VR.AE, "CT*")),
                new Query("modality-wildcard", 3, null, Departure.NO_WILDCARDS, NONE,
                        s -> s.setString(Tag.Modality, VR.CS, "M?")),
                new Query("patient-id-wildcard", 9, null, Departure.NO_WILDCARDS,
                        t -> t.setString(Tag.PatientID, VR.LO, "PID00?"), NONE),
                q("accession-wildcard", 9, t -> t.setString(Tag.AccessionNumber, VR.SH, "ACC*"), NONE),
                q("modality", 2, NONE, s -> s.setString(Tag.Modality, VR.CS, "MR")),
                q("modality-and-station", 3, NONE, s -> {
                    s.setString(Tag.Modality, VR.CS, "CT");
                    s.setString(Tag.ScheduledStationAETitle, VR.AE, "CT1");
                }),
                q("date-single", 3, NONE, s -> s.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261202")),
                q("date-range", 5, NONE, s -> s.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261201-20261202")),
                q("date-open-start", 3, NONE, s -> s.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "-20261201")),
                q("date-open-end", 3, NONE, s -> s.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261203-")),
                q("time-range", 5, NONE, s -> s.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "0800-1200")),
                q("time-open-end", 3, NONE, s -> s.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "1400-")),
                q("date-and-time-range", 3, NONE, s -> {
                    s.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261201-20261202");
                    s.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "1000-1800");
                }),
                q("performing-physician", 3, NONE,
                        s -> s.setString(Tag.ScheduledPerformingPhysicianName, VR.PN, "JONES^ALAN")),
                q("performing-physician-wildcard", 3, NONE,
                        s -> s.setString(Tag.ScheduledPerformingPhysicianName, VR.PN, "SMITH*")),
                q("patient-name-exact", 1, t -> t.setString(Tag.PatientName, VR.PN, "DOE^JOHN"), NONE),
                q("patient-name-wildcard", 3, t -> t.setString(Tag.PatientName, VR.PN, "DOE*"), NONE),
                q("patient-name-question", 1, t -> t.setString(Tag.PatientName, VR.PN, "DOE^JA?E"), NONE),
                q("patient-name-inner-wildcard", 2, t -> t.setString(Tag.PatientName, VR.PN, "*O*^J*"), NONE),
                new Query("patient-name-lowercase", 3, null, Departure.CASE_SENSITIVE_NAMES,
                        t -> t.setString(Tag.PatientName, VR.PN, "doe*"), NONE),
                q("patient-id", 1, t -> t.setString(Tag.PatientID, VR.LO, "PID005"), NONE),
                q("accession-number", 1, t -> t.setString(Tag.AccessionNumber, VR.SH, "ACC003"), NONE),
                q("patient-sex-and-modality", 1, t -> t.setString(Tag.PatientSex, VR.CS, "F"),
                        s -> s.setString(Tag.Modality, VR.CS, "CT")),
                q("birth-date-range", 3, t -> t.setString(Tag.PatientBirthDate, VR.DA, "19700101-19851231"), NONE),
                q("priority", 4, t -> t.setString(Tag.RequestedProcedurePriority, VR.SH, "HIGH"), NONE),
                q("no-match", 0, t -> t.setString(Tag.PatientID, VR.LO, "NOBODY"), NONE),
                new Query("sps-id", 1, null, Departure.KEY_NOT_SUPPORTED, NONE,
                        s -> s.setString(Tag.ScheduledProcedureStepID, VR.SH, "SPS007")),
                new Query("study-uid", 1, null, Departure.KEY_NOT_SUPPORTED,
                        t -> t.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1234.8"), NONE),
                new Query("korean-all", 9, KOREAN, Departure.NONE, NONE, NONE),
                new Query("korean-date", 2, KOREAN, Departure.NONE, NONE,
                        s -> s.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261201")),
                new Query("korean-alphabetic-group", 1, KOREAN, Departure.NONE,
                        t -> t.setString(Tag.PatientName, VR.PN, "Hong*"), NONE),
                new Query("korean-hangul", 1, KOREAN, Departure.NON_ASCII_NAME_REFUSED,
                        t -> t.setString(Tag.PatientName, VR.PN, "*=*=홍^길동"), NONE),
                new Query("korean-hanja", 1, KOREAN, Departure.NON_ASCII_NAME_REFUSED,
                        t -> t.setString(Tag.PatientName, VR.PN, "=金^哲洙"), NONE),
                new Query("korean-hangul-and-station", 1, KOREAN, Departure.NON_ASCII_NAME_REFUSED,
                        t -> t.setString(Tag.PatientName, VR.PN, "==이^*"),
                        s -> s.setString(Tag.ScheduledStationAETitle, VR.AE, "CT1")));
    }

    /** The common return keys (PS3.4 K.6): every query asks for these, empty. */
    static DataSet identifier(Query query) {
        DataSet keys = new DataSet();
        if (query.charset() != null) {
            keys.setString(Tag.SpecificCharacterSet, VR.CS, query.charset().split("\\\\", -1));
        }
        keys.setNull(Tag.AccessionNumber, VR.SH);
        keys.setNull(Tag.ReferringPhysicianName, VR.PN);
        keys.setNull(Tag.PatientName, VR.PN);
        keys.setNull(Tag.PatientID, VR.LO);
        keys.setNull(Tag.PatientBirthDate, VR.DA);
        keys.setNull(Tag.PatientSex, VR.CS);
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        keys.setNull(Tag.RequestedProcedureDescription, VR.LO);
        keys.setNull(Tag.RequestedProcedureID, VR.SH);
        keys.setNull(Tag.RequestedProcedurePriority, VR.SH);
        DataSet step = keys.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        step.setNull(Tag.Modality, VR.CS);
        step.setNull(Tag.ScheduledStationAETitle, VR.AE);
        step.setNull(Tag.ScheduledProcedureStepStartDate, VR.DA);
        step.setNull(Tag.ScheduledProcedureStepStartTime, VR.TM);
        step.setNull(Tag.ScheduledPerformingPhysicianName, VR.PN);
        step.setNull(Tag.ScheduledProcedureStepDescription, VR.LO);
        step.setNull(Tag.ScheduledProcedureStepID, VR.SH);
        step.setNull(Tag.ScheduledStationName, VR.SH);
        query.top().accept(keys);
        query.step().accept(step);
        return keys;
    }

    private Path work;
    private Process wlmscpfs;
    private int wlmscpfsPort;
    private DicomServer server;
    private HikariDataSource dataSource;
    private final List<Answers> answers = new ArrayList<>();

    /** What both servers answered to one query, normalised. */
    record Answers(Query query, Tools.Result dcmtkRun, Tools.Result oursRun, List<String> dcmtk, List<String> ours) {
    }

    @BeforeAll
    void askBoth() throws Exception {
        Path findscu = Tools.require("findscu");
        Path dcmdump = Tools.require("dcmdump");
        Path wlmscpfsExe = Tools.require("wlmscpfs");
        work = Path.of("target", "wlmscpfs").toAbsolutePath();
        TestFiles.deleteTree(work);
        Path aeFolder = Files.createDirectories(work.resolve("worklists").resolve("WLMSCP"));
        Files.createFile(aeFolder.resolve("lockfile"));

        dataSource = TestDatabase.DERBY.create("wlmscpfs-interop");
        JdbcWorklistStore store = new JdbcWorklistStore(dataSource);
        int n = 0;
        for (DataSet item : WorklistFixtures.items()) {
            store.create(item);
            DicomWriter.writeFile(aeFolder.resolve("item" + (++n) + ".wl"),
                    FileMetaInformation.create(UID.ModalityWorklistInformationModelFind, UidGenerator.newUid(),
                            UID.ExplicitVRLittleEndian), item, WriteOptions.defaults());
        }

        server = new DicomServer(ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1").port(0).build(),
                DimseHandlerRegistry.of(Map.of(UID.ModalityWorklistInformationModelFind,
                        new WorklistScp(store, true, 0))));
        server.start();

        wlmscpfsPort = Ports.free();
        // -csk: answer in the character set of the file (default: none at all, which loses the Korean names)
        wlmscpfs = new ProcessBuilder(wlmscpfsExe.toString(), "-dfp", work.resolve("worklists").toString(), "-csk",
                "--single-process", Integer.toString(wlmscpfsPort))
                .redirectErrorStream(true).redirectOutput(work.resolve("wlmscpfs.log").toFile()).start();
        awaitListening(wlmscpfsPort);

        for (Query query : queries()) {
            Path dir = Files.createDirectories(work.resolve(query.name()));
            Path keys = dir.resolve("query.dcm");
            DataSet identifier = identifier(query);
            DicomWriter.writeFile(keys, FileMetaInformation.create(UID.ModalityWorklistInformationModelFind,
                    UidGenerator.newUid(), UID.ExplicitVRLittleEndian), identifier, WriteOptions.defaults());
            Tools.Result dcmtkRun = findscu(findscu, "WLMSCP", wlmscpfsPort, query, keys,
                    Files.createDirectories(dir.resolve("dcmtk")));
            Tools.Result oursRun = findscu(findscu, "MOSAIC", server.port(), query, keys,
                    Files.createDirectories(dir.resolve("ours")));
            answers.add(new Answers(query, dcmtkRun, oursRun, ResponseDump.of(dcmdump, dir.resolve("dcmtk")),
                    ResponseDump.of(dcmdump, dir.resolve("ours"))));
        }
    }

    /**
     * findscu with the query file (non-ASCII keys are bytes in the request's character set, which a
     * command line cannot carry) and, for the Korean queries, {@code -k SpecificCharacterSet=...}.
     */
    private static Tools.Result findscu(Path findscu, String calledAe, int port, Query query, Path keys, Path out) {
        List<String> command = new ArrayList<>(List.of(findscu.toString(), "-v", "-W", "-aet", "FINDSCU", "-aec",
                calledAe, "-X", "-od", out.toString()));
        if (query.charset() != null) {
            command.addAll(List.of("-k", "SpecificCharacterSet=" + query.charset()));
        }
        command.addAll(List.of("127.0.0.1", Integer.toString(port), keys.toString()));
        return Tools.run(TOOL_TIMEOUT, command);
    }

    @AfterAll
    void stop() throws Exception {
        if (wlmscpfs != null) {
            wlmscpfs.destroy();
            wlmscpfs.waitFor();
        }
        if (server != null) {
            server.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> sameAnswersAsWlmscpfs() {
        return answers.stream().map(a -> DynamicTest.dynamicTest(a.query().name(), () -> {
            String ours = a.oursRun().out() + a.oursRun().err();
            String dcmtk = a.dcmtkRun().out() + a.dcmtkRun().err();
            assertThat(a.oursRun().exitCode()).as(ours).isZero();
            assertThat(ours).contains("Received Final Find Response (Success)");
            assertThat(a.ours()).as(a.query().name() + ": matches").hasSize(a.query().expected());
            switch (a.query().departure()) {
                case NONE -> {
                    assertThat(dcmtk).contains("Received Final Find Response (Success)");
                    assertThat(a.ours()).as("%s: our answers vs wlmscpfs's", a.query().name())
                            .containsExactlyElementsOf(a.dcmtk());
                }
                case KEY_NOT_SUPPORTED -> {
                    assertThat(dcmtk).contains("Received Final Find Response (Success)");
                    assertThat(a.dcmtk()).hasSize(WorklistFixtures.items().size());
                    assertThat(a.dcmtk()).containsAll(a.ours());
                }
                case NON_ASCII_NAME_REFUSED -> {
                    assertThat(dcmtk).contains("Received Final Find Response (Error: DataSetDoesNotMatchSOPClass)");
                    assertThat(Files.readString(work.resolve("wlmscpfs.log")))
                            .contains("Invalid Character Repertoire for datatype PN");
                    assertThat(a.dcmtk()).isEmpty();
                }
                case CASE_SENSITIVE_NAMES, NO_WILDCARDS -> {
                    assertThat(dcmtk).contains("Received Final Find Response (Success)");
                    assertThat(a.dcmtk()).isEmpty();
                }
            }
            System.out.printf("%-30s %d matches, %s%n", a.query().name(), a.ours().size(),
                    a.query().departure() == Departure.NONE ? "identical to wlmscpfs" : a.query().departure());
        }));
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            // not a probe connection: --single-process wlmscpfs would take it for its client
            if (Ports.listening(port)) {
                return;
            }
            if (!wlmscpfs.isAlive()) {
                throw new AssertionError("wlmscpfs ended: " + Files.readString(work.resolve("wlmscpfs.log")));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("wlmscpfs does not listen on " + port);
    }
}
