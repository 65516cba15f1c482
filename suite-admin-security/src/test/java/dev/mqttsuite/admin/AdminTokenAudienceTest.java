package dev.mqttsuite.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminTokenAudienceTest {

    @Test
    void enabledTenantWithoutAudience_stopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> AdminTokenAudience.require(true, Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("quarkus.oidc.token.audience");
        assertThat(AdminTokenAudience.problem(true, Optional.of(List.of(" ")))).isPresent();
    }

    @Test
    void audienceAny_isRefusedBecauseItTurnsTheCheckOff() {
        assertThat(AdminTokenAudience.problem(true, Optional.of(List.of("ANY")))).get().asString()
                .contains("quarkus.oidc.token.audience=any");
    }

    @Test
    void namedAudienceOrDisabledTenant_isAccepted() {
        assertThat(AdminTokenAudience.problem(true, Optional.of(List.of("mqtt-admin-api")))).isEmpty();
        assertThat(AdminTokenAudience.problem(false, Optional.empty())).isEmpty();
    }
}
