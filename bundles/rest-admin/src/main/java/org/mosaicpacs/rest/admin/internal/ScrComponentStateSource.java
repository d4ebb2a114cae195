package org.mosaicpacs.rest.admin.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Reads component states from Service Component Runtime: every component declared by a bundle
 * whose symbolic name starts with {@code org.mosaicpacs.}, including vendor plugins that follow
 * the naming rule, and including components that have no configuration yet (reported as such).
 */
final class ScrComponentStateSource implements ComponentStateSource {

    static final String MOSAIC_BSN_PREFIX = "org.mosaicpacs.";

    private final ServiceComponentRuntime scr;

    ScrComponentStateSource(ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    @Override
    public List<ComponentState> mosaicComponents() {
        List<ComponentState> states = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            String bsn = description.bundle.symbolicName;
            if (bsn == null || !bsn.startsWith(MOSAIC_BSN_PREFIX)) {
                continue;
            }
            if (!scr.isComponentEnabled(description)) {
                states.add(new ComponentState(description.name, bsn, "DISABLED"));
                continue;
            }
            var configurations = scr.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty()) {
                // A component that requires configuration and has none yet: not an error, not running.
                states.add(new ComponentState(description.name, bsn,
                        "require".equals(description.configurationPolicy) ? "UNCONFIGURED" : "NOT_CREATED"));
                continue;
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                states.add(new ComponentState(description.name, bsn, stateName(configuration.state)));
            }
        }
        states.sort(Comparator.comparing(ComponentState::bundle).thenComparing(ComponentState::name));
        return states;
    }

    static String stateName(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "UNKNOWN(" + state + ")";
        };
    }

    /** The product version stamped into this bundle's manifest by the build. */
    static String productVersion(Bundle bundle) {
        String version = bundle.getHeaders().get("Mosaic-Version");
        return version != null ? version : bundle.getVersion().toString();
    }
}
