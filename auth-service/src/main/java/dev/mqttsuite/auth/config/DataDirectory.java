package dev.mqttsuite.auth.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * The auth-service's data directory ({@code auth.data-dir}: the embedded H2 database and the generated admin password).
 * A relative setting is resolved against the working directory once, at startup, to an absolute path: H2 refuses
 * implicitly relative file URLs, and every user of the setting sees the same absolute path
 * ({@link DataDirInterceptor} resolves it for {@code ${auth.data-dir}} in the JDBC URL, {@link Writable} for
 * {@link AuthConfig#dataDir()}). A directory that cannot be created or written to fails startup naming the setting.
 */
public final class DataDirectory {

    /** The setting's name, for messages. */
    public static final String SETTING = "auth.data-dir";

    private DataDirectory() {
    }

    /** The setting as an absolute, normalized path (relative values against the working directory). */
    public static Path absolute(String value) {
        return Path.of(value).toAbsolutePath().normalize();
    }

    /**
     * The directory, created if missing, checked to be writable by creating and deleting a file in it.
     *
     * @throws IllegalArgumentException naming {@link #SETTING} when the value is not a path, or the directory cannot
     *     be created or written to
     */
    public static Path prepare(String value) {
        Path dir;
        try {
            dir = absolute(value);
        } catch (InvalidPathException e) {
            throw unusable(value, "not a path: " + e.getMessage());
        }
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw unusable(value, dir + " cannot be created or written to (" + e + ")");
        }
        return dir;
    }

    private static IllegalArgumentException unusable(String value, String why) {
        return new IllegalArgumentException(SETTING + "=" + value + " is unusable: " + why
                + "; set " + SETTING + " (environment: AUTH_DATA_DIR) to a writable directory");
    }

    /** Config converter for {@link AuthConfig#dataDir()}: {@link #prepare}, when the configuration is loaded. */
    public static final class Writable implements Converter<Path> {

        @Override
        public Path convert(String value) {
            return prepare(value);
        }
    }
}
