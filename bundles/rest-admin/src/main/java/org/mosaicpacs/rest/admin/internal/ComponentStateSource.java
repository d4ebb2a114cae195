package org.mosaicpacs.rest.admin.internal;

import java.util.List;

/**
 * Where the health resource learns the state of the product's components. Separate from the
 * resource so the resource is unit-tested without a framework.
 */
interface ComponentStateSource {

    /** One DS component of a Mosaic bundle and its state as Service Component Runtime reports it. */
    record ComponentState(String name, String bundle, String state) {

        /**
         * Active, satisfied (a delayed component nobody used yet), unconfigured (a factory
         * component with no configuration: no remote AE defined yet) and disabled (an admin's
         * choice) are healthy; unsatisfied references and failed activations are not.
         */
        boolean healthy() {
            return switch (state) {
                case "ACTIVE", "SATISFIED", "UNCONFIGURED", "DISABLED" -> true;
                default -> false;
            };
        }
    }

    List<ComponentState> mosaicComponents();
}
