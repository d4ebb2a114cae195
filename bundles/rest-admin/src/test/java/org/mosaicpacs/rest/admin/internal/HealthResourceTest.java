package org.mosaicpacs.rest.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.rest.admin.internal.ComponentStateSource.ComponentState;

class HealthResourceTest {

    @Test
    void upWhenEveryComponentIsActiveOrSatisfied() {
        var resource = new HealthResource(() -> List.of(
                new ComponentState("a", "org.mosaicpacs.x", "ACTIVE"),
                new ComponentState("b", "org.mosaicpacs.x", "SATISFIED"),
                new ComponentState("c", "org.mosaicpacs.y", "UNCONFIGURED")), "1.2.3");
        HealthResource.Health health = resource.report();
        assertThat(health.status()).isEqualTo("UP");
        assertThat(health.version()).isEqualTo("1.2.3");
        assertThat(health.components()).hasSize(3);
    }

    @Test
    void degradedWhenAComponentLacksAReference() {
        var resource = new HealthResource(() -> List.of(
                new ComponentState("a", "org.mosaicpacs.x", "ACTIVE"),
                new ComponentState("b", "org.mosaicpacs.y", "UNSATISFIED_REFERENCE")), "1.2.3");
        assertThat(resource.report().status()).isEqualTo("DEGRADED");
        var failed = new HealthResource(() -> List.of(new ComponentState("a", "org.mosaicpacs.x", "FAILED_ACTIVATION")), "1");
        assertThat(failed.report().status()).isEqualTo("DEGRADED");
    }

    @Test
    void scrStateNamesFollowTheDtoConstants() {
        assertThat(ScrComponentStateSource.stateName(8)).isEqualTo("ACTIVE");
        assertThat(ScrComponentStateSource.stateName(4)).isEqualTo("SATISFIED");
        assertThat(ScrComponentStateSource.stateName(2)).isEqualTo("UNSATISFIED_REFERENCE");
        assertThat(ScrComponentStateSource.stateName(16)).isEqualTo("FAILED_ACTIVATION");
    }
}
