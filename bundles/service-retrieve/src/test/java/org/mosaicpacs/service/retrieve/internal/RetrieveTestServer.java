package org.mosaicpacs.service.retrieve.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.api.remote.RemoteAeRegistry;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.UidEntry;
import org.mosaicpacs.dicom.UidRegistry;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.testing.Ports;

/**
 * The retrieve SCP on an acceptor for tests, as the distribution runs it: the four C-MOVE and
 * C-GET SOP classes served, storage contexts with the SCP role accepted in every transfer syntax
 * (what the acceptor offers while the Storage SCP and the codecs are installed), remote AEs and
 * the transcoder changeable by each test.
 */
final class RetrieveTestServer implements AutoCloseable {

    static final List<String> RETRIEVE_SOP_CLASSES = List.of(UID.PatientRootQueryRetrieveInformationModelMove,
            UID.PatientRootQueryRetrieveInformationModelGet, UID.StudyRootQueryRetrieveInformationModelMove,
            UID.StudyRootQueryRetrieveInformationModelGet);

    final ArchiveIndex index;
    final Map<String, RemoteAe> remoteAes = new ConcurrentHashMap<>();
    volatile Transcoder transcoder;
    final DicomServer server;

    RetrieveTestServer(ArchiveIndex index) throws IOException {
        this.index = index;
        RemoteAeRegistry registry = new RemoteAeRegistry() {
            @Override
            public Optional<RemoteAe> find(String aeTitle) {
                return Optional.ofNullable(remoteAes.get(aeTitle.strip()));
            }

            @Override
            public List<RemoteAe> all() {
                return List.copyOf(new TreeMap<>(remoteAes).values());
            }
        };
        RetrieveScp scp = new RetrieveScp(index, registry, new InstanceSender(new FileArchive(index), () -> transcoder,
                false), ae -> {
                    throw new IllegalStateException("no TLS in these tests");
                });
        Set<String> allSyntaxes = UidRegistry.ofType(UidEntry.TRANSFER_SYNTAX).stream().map(UidEntry::uid)
                .collect(Collectors.toSet());
        Map<String, DimseHandler> handlers = RETRIEVE_SOP_CLASSES.stream().collect(Collectors.toMap(s -> s, s -> scp));
        DimseHandlerRegistry handlerRegistry = new DimseHandlerRegistry() {
            @Override
            public Optional<DimseHandler> handler(String sopClassUid) {
                return Optional.ofNullable(handlers.get(sopClassUid));
            }

            @Override
            public Set<String> transferSyntaxes(String sopClassUid) {
                return handlers.containsKey(sopClassUid) ? Set.copyOf(UNCOMPRESSED) : allSyntaxes;
            }
        };
        server = new DicomServer(ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1").port(0).build(),
                handlerRegistry);
        server.start();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A DCMTK storescp writing what it receives into a folder; stopped on close. */
    static final class StoreScp implements AutoCloseable {
        final Path dir;
        final int port;
        private final Process process;

        StoreScp(Path dir, int port, Process process) {
            this.dir = dir;
            this.port = port;
            this.process = process;
        }

        /** Starts storescp as {@code aeTitle} with extra options (e.g. +xa: accept every transfer syntax). */
        static StoreScp start(Path dir, String aeTitle, String... options) throws IOException, InterruptedException {
            deleteTree(dir);
            Files.createDirectories(dir);
            int port = Ports.free();
            List<String> command = new java.util.ArrayList<>(List.of(org.mosaicpacs.testing.Tools.require("storescp")
                    .toString(), "-aet", aeTitle, "-od", dir.toString()));
            command.addAll(List.of(options));
            command.add(Integer.toString(port));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile());
            pb.environment().put("TCP_NODELAY", "1");
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!Ports.listening(port)) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("storescp did not start on port " + port);
                }
                Thread.sleep(50);
            }
            return new StoreScp(dir, port, p);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
