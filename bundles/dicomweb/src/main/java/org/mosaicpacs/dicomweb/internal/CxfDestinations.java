package org.mosaicpacs.dicomweb.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.cxf.BusException;
import org.apache.cxf.transport.DestinationFactory;
import org.apache.cxf.transport.DestinationFactoryManager;
import org.apache.cxf.transport.http.DestinationRegistryImpl;
import org.apache.cxf.transport.http.HTTPTransportFactory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.JaxrsWhiteboardConstants;

/**
 * The HTTP transport of the DICOMweb application's CXF bus, with a destination registry of its own.
 *
 * <p>Why: Aries JAX-RS Whiteboard 2.0.2 gives each application a CXF bus and publishes its
 * endpoint at address {@code /} of that bus. In Karaf, the bus's transport lookup falls back to
 * OSGi services (CXF's OSGiBeanLocator) and finds the HTTP transport that CXF's own bundle
 * registers, with one destination registry for all buses. Two applications then both claim
 * {@code /}: the second fails with "There is an endpoint already running on /" and, when torn
 * down, removes the first one's destination, so {@code /api} and {@code /dicom-web} answer 404
 * in turn. Offered to this application's bus as a CXF bus extension
 * ({@code cxf.extension=true}, selecting the application), this destination factory manager
 * gives the bus a private HTTP transport, and the applications are independent.
 * {@link DicomWebApplication} references it, so the application is registered only after it
 * and goes away before it: the bus never comes up without it.
 */
@Component(service = {DestinationFactoryManager.class, CxfDestinations.class}, property = {
    "cxf.extension=true",
    JaxrsWhiteboardConstants.JAX_RS_APPLICATION_SELECT + "=" + DicomWebApplication.SELECT})
public class CxfDestinations implements DestinationFactoryManager {

    private final HTTPTransportFactory http = new HTTPTransportFactory(new DestinationRegistryImpl());
    private final Map<String, DestinationFactory> others = new ConcurrentHashMap<>();

    @Override
    public void registerDestinationFactory(String namespace, DestinationFactory factory) {
        others.put(namespace, factory);
    }

    @Override
    public void deregisterDestinationFactory(String namespace) {
        others.remove(namespace);
    }

    @Override
    public Set<String> getRegisteredDestinationFactoryNames() {
        Set<String> names = new java.util.HashSet<>(http.getTransportIds());
        names.addAll(others.keySet());
        return names;
    }

    @Override
    public DestinationFactory getDestinationFactory(String namespace) throws BusException {
        if (http.getTransportIds().contains(namespace)) {
            return http;
        }
        DestinationFactory factory = others.get(namespace);
        if (factory == null) {
            throw new BusException(new org.apache.cxf.common.i18n.Message("NO_DEST_FACTORY",
                    java.util.logging.Logger.getLogger(CxfDestinations.class.getName()), namespace));
        }
        return factory;
    }

    @Override
    public DestinationFactory getDestinationFactoryForUri(String uri) {
        return http;
    }
}
