package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.mosaicpacs.testing.Ports;

/** A DCMTK server run for a test: started with TCP_NODELAY=1, ready once its port accepts, killed on close. */
final class ExternalProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ExternalProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ExternalProcess start(List<String> command, Path workDir, int port) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve("process.log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(command.get(0) + " exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            if (Ports.listening(port)) {
                return new ExternalProcess(p, log);
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not open port " + port);
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
