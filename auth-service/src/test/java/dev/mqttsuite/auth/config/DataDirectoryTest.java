package dev.mqttsuite.auth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged defaults start from any working directory: {@code auth.data-dir=data/auth} becomes an absolute path in
 * the H2 URL (H2 refuses implicitly relative ones), and an unusable directory fails naming the setting.
 */
class DataDirectoryTest {

    private static final Path WORKING_DIRECTORY = Path.of("").toAbsolutePath();

    /** The packaged application.properties, read in the prod profile with the interceptor Quarkus loads. */
    private static SmallRyeConfig packagedDefaults(Map<String, String> overrides) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = DataDirectoryTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Map<String, String> values = new HashMap<>();
        properties.forEach((k, v) -> values.put((String) k, (String) v));
        return new SmallRyeConfigBuilder().withProfile("prod").addDefaultInterceptors().addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(values, "application.properties", 250))
                .withSources(new PropertiesConfigSource(overrides, "overrides", 300)).build();
    }

    @Test
    void packagedDefaults_giveH2AnAbsoluteFileUrl_underTheWorkingDirectory() throws IOException {
        SmallRyeConfig config = packagedDefaults(Map.of());
        assertThat(config.getRawValue("auth.data-dir")).isEqualTo(WORKING_DIRECTORY.resolve("data/auth").toString());
        assertThat(config.getRawValue("quarkus.datasource.jdbc.url"))
                .startsWith("jdbc:h2:file:" + WORKING_DIRECTORY.resolve("data/auth/auth") + ";");
    }

    @Test
    void h2RefusesTheImplicitlyRelativeUrl_butOpensTheResolvedOne(@TempDir Path temp) throws SQLException {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:file:data/auth/auth", "auth", ""))
                .as("why the data dir must be resolved").isInstanceOf(SQLException.class)
                .hasMessageContaining("relative");
        Path relative = WORKING_DIRECTORY.relativize(temp.resolve("data"));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + DataDirectory.absolute(relative.toString())
                + "/auth;DB_CLOSE_ON_EXIT=FALSE", "auth", "")) {
            assertThat(c.isValid(1)).isTrue();
        }
        assertThat(temp.resolve("data/auth.mv.db")).exists();
    }

    @Test
    void anAbsoluteSetting_staysAsItIs_andAnExpressionIsLeftToExpand(@TempDir Path temp) throws IOException {
        assertThat(packagedDefaults(Map.of("auth.data-dir", temp.toString())).getRawValue("quarkus.datasource.jdbc.url"))
                .startsWith("jdbc:h2:file:" + temp.resolve("auth") + ";");
        assertThat(packagedDefaults(Map.of("auth.data-dir", "${base}/auth", "base", temp.toString()))
                .getRawValue("auth.data-dir")).isEqualTo(temp + "/auth");
    }

    @Test
    void prepare_createsAMissingDirectory(@TempDir Path temp) {
        Path dir = DataDirectory.prepare(temp.resolve("a/b").toString());
        assertThat(dir).isDirectory().isAbsolute();
        assertThat(dir.toFile().list()).as("the write check leaves nothing behind").isEmpty();
    }

    @Test
    void aDirectoryThatCannotBeCreated_failsNamingTheSetting(@TempDir Path temp) throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertThatThrownBy(() -> DataDirectory.prepare(file.resolve("auth").toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auth.data-dir=" + file.resolve("auth"))
                .hasMessageContaining("AUTH_DATA_DIR");
    }

    @Test
    void theConfigMappingConverter_failsNamingTheSetting(@TempDir Path temp) throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertThatThrownBy(() -> new DataDirectory.Writable().convert(file.toString()))
                .hasMessageContaining("auth.data-dir");
    }
}
