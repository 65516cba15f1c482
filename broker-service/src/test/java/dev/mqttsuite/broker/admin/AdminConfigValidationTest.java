package dev.mqttsuite.broker.admin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bootstrap admin's settings stop the broker at startup when unsafe, naming the setting. */
class AdminConfigValidationTest {

    private static AdminConfig config(String username, String password) {
        return new AdminConfig() {
            @Override
            public String username() {
                return username;
            }

            @Override
            public Optional<String> password() {
                return Optional.ofNullable(password);
            }
        };
    }

    @Test
    void aShortPassword_orABlankUserName_stopsStartup_namingTheSetting() {
        assertThatThrownBy(() -> AdminIdentityProvider.validate(config("admin", "admin")))
                .hasMessageContaining("broker.admin.password").hasMessageContaining("BROKER_ADMIN_PASSWORD");
        assertThatThrownBy(() -> AdminIdentityProvider.validate(config(" ", "a-long-enough-password")))
                .hasMessageContaining("broker.admin.username");
    }

    @Test
    void aLongPassword_orNone_isAccepted() {
        assertThatCode(() -> AdminIdentityProvider.validate(config("admin", "twelve-chars"))).doesNotThrowAnyException();
        assertThatCode(() -> AdminIdentityProvider.validate(config("admin", null))).doesNotThrowAnyException();
    }
}
