package org.mosaicpacs.dicom.net;

/**
 * An echo SCP in a process of its own, for tests that must starve it of resources without
 * starving the test JVM: prints its port, then serves until killed.
 */
final class EchoServerMain {

    private EchoServerMain() {
    }

    public static void main(String[] args) throws Exception {
        DicomServer server = TestHandlers.startEcho();
        System.out.println("port " + server.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
