package dev.mqttsuite.auth.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import jakarta.annotation.Priority;

/**
 * Resolves {@code auth.data-dir} to an absolute path wherever it is read, in particular in the H2 URL
 * {@code jdbc:h2:file:${auth.data-dir}/auth}: H2 refuses an implicitly relative path such as {@code data/auth/auth}.
 * Pure (no file system access): {@link DataDirectory.Writable} checks the directory when the configuration is mapped.
 *
 * <p>Priority 3250: inside SmallRye's expression interceptor (3300), so that {@code ${auth.data-dir}} in other values is
 * resolved through this one, and outside the profile interceptor (3200), so that {@code %test.auth.data-dir} arrives
 * here under the plain name. A value that is itself an expression is left as it is (it usually expands to an absolute
 * path, e.g. {@code ${HOME}/auth}).
 */
@Priority(3250)
public class DataDirInterceptor implements ConfigSourceInterceptor {

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!DataDirectory.SETTING.equals(name) || value == null || value.getValue() == null
                || value.getValue().isBlank() || value.getValue().contains("${")) {
            return value;
        }
        return value.withValue(DataDirectory.absolute(value.getValue()).toString());
    }
}
