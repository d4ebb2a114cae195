package org.mosaicpacs.rest.admin.internal;

import java.util.List;

/**
 * Where the health resource learns the state of the product's components. Separate from the
 * resource so the resource is unit-tested without a framework.
 */
interface ComponentStateSource {

    /** One DS component of a Mosaic bundle and its state as Service Component Runtime reports it. */
    record ComponentState(String name, String bundle, String state) {

        /** Active or satisfied (a delayed component that nobody used yet) counts as healthy. */
        boolean healthy() {
            return "ACTIVE".equals(state) || "SATISFIED".equals(state);
        }
    }

    List<ComponentState> mosaicComponents();
}
