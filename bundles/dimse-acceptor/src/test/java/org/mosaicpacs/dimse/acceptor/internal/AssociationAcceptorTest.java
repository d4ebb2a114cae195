package org.mosaicpacs.dimse.acceptor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.AssociationRejectedException;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.PresentationContextResult;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.osgi.framework.ServiceReference;

/** The acceptor component without a framework: constructed with a configuration, handlers bound by hand. */
class AssociationAcceptorTest {

    private AssociationAcceptor acceptor;
    private DicomClient client;
    private final Map<String, Object> config = new HashMap<>(Map.of("port", 0, "bindAddress", "127.0.0.1",
            "aeTitles", new String[] {"MOSAIC"}));

    @BeforeEach
    void start() throws Exception {
        acceptor = new AssociationAcceptor(config());
        client = DicomClient.builder().build();
    }

    @AfterEach
    void stop() {
        client.close();
        acceptor.deactivate();
    }

    @Test
    void contextsFollowTheHandlersRegisteredNow() throws Exception {
        DimseHandler echo = (request, context) -> DimseResponse.success();
        ServiceReference<DimseHandler> ref = reference(1, UID.Verification);
        assertThat(echoContextResult()).isEqualTo(PresentationContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED);
        acceptor.addHandler(ref, echo);
        assertThat(echoContextResult()).isEqualTo(PresentationContextResult.ACCEPTANCE);
        // an unbind of another object under the same reference leaves the handler in place
        acceptor.removeHandler(ref, (request, context) -> DimseResponse.success());
        assertThat(echoContextResult()).isEqualTo(PresentationContextResult.ACCEPTANCE);
        acceptor.removeHandler(ref, echo);
        assertThat(echoContextResult()).isEqualTo(PresentationContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED);
    }

    @Test
    void reconfigurationAppliesWithoutDroppingAssociations() throws Exception {
        acceptor.addHandler(reference(1, UID.Verification), (request, context) -> DimseResponse.success());
        try (Association open = connect("MOSAIC")) {
            config.put("aeTitles", new String[] {"RENAMED"});
            acceptor.modified(config());
            assertThatThrownBy(() -> connect("MOSAIC")).isInstanceOf(AssociationRejectedException.class);
            try (Association renamed = connect("RENAMED")) {
                assertThat(renamed.echo().isSuccess()).isTrue();
            }
            assertThat(open.echo().isSuccess()).isTrue();
        }
    }

    private int echoContextResult() throws Exception {
        try (Association as = connect("MOSAIC")) {
            return as.accept().presentationContext(1).orElseThrow().result();
        }
    }

    private Association connect(String called) throws Exception {
        return client.connect("127.0.0.1", acceptor.port(),
                AAssociateRq.builder(called, "TEST").presentationContext(UID.Verification).build());
    }

    /** The component's configuration type, backed by the map (absent keys take the defaults). */
    private AssociationAcceptor.Config config() {
        return (AssociationAcceptor.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AssociationAcceptor.Config.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return AssociationAcceptor.Config.class;
                    }
                    Object v = config.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<DimseHandler> reference(long id, String... sopClasses) {
        return (ServiceReference<DimseHandler>) Proxy.newProxyInstance(AssociationAcceptorTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> switch ((String) args[0]) {
                        case DimseHandler.SOP_CLASS_PROPERTY -> sopClasses;
                        case "service.id" -> id;
                        default -> null;
                    };
                    case "compareTo" -> 0;
                    case "hashCode" -> Long.hashCode(id);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
