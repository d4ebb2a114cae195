package org.mosaicpacs.itests.server;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands test classes one running distribution shared by the whole test
 * JVM, started on first use and stopped when all tests are done. A Karaf start costs 20 to 30 s,
 * so classes that only talk to the PACS share this one; classes that crash, reconfigure or
 * restart the server make their own with {@link MosaicServer#unpack}.
 *
 * <pre>
 * {@literal @}ExtendWith(SharedMosaicServer.class)
 * class SomeIT {
 *     {@literal @}Test void works(MosaicServer server) { ... }
 * }
 * </pre>
 */
public final class SharedMosaicServer implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedMosaicServer.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MosaicServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("server", key -> new Holder(), Holder.class).server;
    }

    /** Root-store value: closed by JUnit after the last test of the run. */
    private static final class Holder implements ExtensionContext.Store.CloseableResource {
        private final MosaicServer server;

        Holder() {
            server = MosaicServer.unpack(Path.of("target/shared-server").toAbsolutePath(), false);
            server.start();
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
