package dev.mqttsuite.auth.config;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service started with a relative {@code auth.data-dir} and the packaged H2 file URL (not the in-memory database
 * the other tests use): it resolves the directory against the working directory, H2 accepts the URL, and the admin API
 * works on the database it created there.
 */
@QuarkusTest
@TestProfile(RelativeDataDirTest.RelativeFileDatabase.class)
class RelativeDataDirTest {

    /** A fresh directory under target/, given relative to the working directory (the module directory). */
    public static class RelativeFileDatabase implements QuarkusTestProfile {

        static final Path DIR;

        static {
            try {
                Files.createDirectories(Path.of("target"));
                DIR = Path.of("").toAbsolutePath().relativize(
                        Files.createTempDirectory(Path.of("target").toAbsolutePath(), "relative-data-dir-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("%test.auth.data-dir", DIR.resolve("auth").toString(),
                    "%test.quarkus.datasource.jdbc.url", "jdbc:h2:file:${auth.data-dir}/auth;DB_CLOSE_ON_EXIT=FALSE");
        }
    }

    @Inject
    AuthConfig config;

    @Test
    void aRelativeDataDir_isResolvedAgainstTheWorkingDirectory_andH2StoresItsFileThere() {
        assertThat(RelativeFileDatabase.DIR.isAbsolute()).as("the setting under test is relative").isFalse();
        Path expected = RelativeFileDatabase.DIR.resolve("auth").toAbsolutePath().normalize();
        assertThat(config.dataDir()).isEqualTo(expected);
        assertThat(expected.resolve("auth.mv.db")).as("H2 opened its file in the resolved directory").exists();
        given().auth().preemptive().basic("admin", "test-admin-password").when().get("/api/v1/roles").then()
                .statusCode(200);
    }
}
