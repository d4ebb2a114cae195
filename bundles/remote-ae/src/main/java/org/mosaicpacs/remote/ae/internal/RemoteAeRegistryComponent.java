package org.mosaicpacs.remote.ae.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.api.remote.RemoteAeRegistry;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RemoteAeRegistry}: the configured {@link RemoteAeDefinition}s, kept current by DS.
 * When two configurations name the same AE title, the one created first wins and the other is
 * reported in the log.
 */
@Component(service = RemoteAeRegistry.class)
public class RemoteAeRegistryComponent implements RemoteAeRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteAeRegistryComponent.class);

    private final Map<ServiceReference<RemoteAeDefinition>, RemoteAe> definitions = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDefinition(ServiceReference<RemoteAeDefinition> reference, RemoteAeDefinition definition) {
        RemoteAe ae = definition.remoteAe();
        definitions.values().stream().filter(existing -> existing.aeTitle().equals(ae.aeTitle())).findAny()
                .ifPresent(existing -> LOG.warn("Two remote AE configurations name {}: the first one is used", ae.aeTitle()));
        definitions.put(reference, ae);
    }

    void removeDefinition(ServiceReference<RemoteAeDefinition> reference) {
        definitions.remove(reference);
    }

    @Override
    public Optional<RemoteAe> find(String aeTitle) {
        if (aeTitle == null) {
            return Optional.empty();
        }
        String wanted = aeTitle.trim();
        return definitions.entrySet().stream()
                .filter(e -> e.getValue().aeTitle().equals(wanted))
                .min(Map.Entry.comparingByKey(Comparator.comparing(RemoteAeRegistryComponent::serviceId)))
                .map(Map.Entry::getValue);
    }

    @Override
    public List<RemoteAe> all() {
        List<RemoteAe> all = new ArrayList<>(definitions.values());
        all.sort(Comparator.comparing(RemoteAe::aeTitle));
        return all;
    }

    private static long serviceId(ServiceReference<?> reference) {
        Object id = reference.getProperty(org.osgi.framework.Constants.SERVICE_ID);
        return id instanceof Long l ? l : Long.MAX_VALUE;
    }
}
