package dev.mqttsuite.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsuite.broker.auth.AnonymousAuthenticator;
import dev.mqttsuite.broker.auth.Authenticator;
import dev.mqttsuite.broker.auth.AuthenticatorSelection;
import dev.mqttsuite.broker.server.BrokerConfigValidatorTest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorSelectionTest {

    @Test
    void withoutBackendAndWithoutAllowAnonymous_theBrokerRefusesToStart_namingTheSetting() {
        BrokerConfig config = BrokerConfigValidatorTest.config(Map.of());
        assertThatThrownBy(() -> AuthenticatorSelection.select(config, Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broker.auth.allow-anonymous=true");
    }

    @Test
    void allowAnonymous_mustBeSetExplicitly_andGivesTheAnonymousAuthenticator() {
        BrokerConfig config = BrokerConfigValidatorTest.config(Map.of("broker.auth.allow-anonymous", "true"));
        assertThat(AuthenticatorSelection.select(config, Optional.empty())).isInstanceOf(AnonymousAuthenticator.class);
    }

    @Test
    void aConfiguredBackend_isUsed() {
        Authenticator backend = new Authenticator() {
            @Override
            public java.util.concurrent.CompletionStage<dev.mqttsuite.broker.auth.AuthResult> authenticate(
                    dev.mqttsuite.broker.auth.AuthRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String describe() {
                return "backend";
            }
        };
        BrokerConfig config = BrokerConfigValidatorTest.config(Map.of());
        assertThat(AuthenticatorSelection.select(config, Optional.of(backend)).describe()).isEqualTo("backend");
    }
}
