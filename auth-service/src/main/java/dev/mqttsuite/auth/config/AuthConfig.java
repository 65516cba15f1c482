package dev.mqttsuite.auth.config;

import dev.mqttsuite.internaltls.InternalGrpcConfig;
import dev.mqttsuite.internaltls.InternalTlsConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The auth-service's typed configuration (prefix {@code auth}); defaults and comments in application.properties. */
@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    /**
     * The data directory, absolute (a relative setting is resolved against the working directory at startup), created
     * if missing and checked to be writable: see {@link DataDirectory}.
     */
    @WithName("data-dir")
    @WithDefault("data/auth")
    @WithConverter(DataDirectory.Writable.class)
    Path dataDir();

    Oidc oidc();

    Passwords passwords();

    @WithName("login-cache")
    LoginCache loginCache();

    Changes changes();

    Admin admin();

    BruteForce bruteForce();

    /** The brokers' gRPC port and who may call it (docs/adr/0012-internal-mutual-tls.md). */
    Grpc grpc();

    /** Mutual TLS of the gRPC port: this service's certificate, key and the suite CA (PEM). */
    @WithName("internal-tls")
    InternalTls internalTls();

    interface Grpc extends InternalGrpcConfig {
    }

    interface InternalTls extends InternalTlsConfig {
    }

    interface Oidc {
        /** Quarkus OIDC tenants whose access tokens devices may log in with (one per trusted issuer). */
        @WithName("mqtt-tenants")
        @WithDefault("mqtt")
        List<String> mqttTenants();

        /** Whether token login is enabled (needs quarkus.oidc.<tenant>.auth-server-url). */
        @WithDefault("false")
        boolean enabled();

        /** Claim with the user name (dots for nesting). */
        @WithName("username-claim")
        @WithDefault("preferred_username")
        String usernameClaim();

        /** Claim with the group names. */
        @WithName("groups-claim")
        @WithDefault("groups")
        String groupsClaim();

        /** Claim with the role names. */
        @WithName("roles-claim")
        @WithDefault("realm_access.roles")
        String rolesClaim();

        /**
         * Prefix of every token user's name ({@code oidc:alice}): token users live in their own namespace, so a token
         * can never log in as a local device account (or its superuser flag) by naming it. Must not be empty.
         */
        @WithName("user-prefix")
        @WithDefault("oidc:")
        String userPrefix();

        /** MQTT 5 enhanced-authentication method that carries a token. */
        @WithName("auth-method")
        @WithDefault("OAUTH2-JWT")
        String authMethod();
    }

    interface Changes {
        /**
         * How often the audit log is read for changes made through other auth-service replicas (several replicas on
         * one PostgreSQL); 0 turns it off.
         */
        @WithName("poll-interval")
        @WithDefault("1s")
        Duration pollInterval();
    }

    interface LoginCache {
        /** Remember allowed logins (per user name and secret, HMAC-keyed) for reconnect storms. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("10000")
        int size();

        /** How long a remembered login may be used at most (bounds staleness across auth-service replicas). */
        @WithDefault("10s")
        Duration ttl();
    }

    interface Passwords {
        /** PBKDF2-HMAC-SHA256 iterations for new device passwords. */
        @WithDefault("210000")
        int iterations();

        /** Verified credentials remembered (keyed by an in-process HMAC, never the password) to spare the KDF. */
        @WithName("cache-size")
        @WithDefault("10000")
        int cacheSize();
    }

    interface Admin {
        @WithDefault("admin")
        String username();

        Optional<String> password();

        /** Role that may change the ACL model. */
        @WithName("write-role")
        @WithDefault("mqtt-admin")
        String writeRole();

        /** Role that may read it. */
        @WithName("read-role")
        @WithDefault("mqtt-viewer")
        String readRole();
    }

    interface BruteForce {
        /** Failed logins an address may make in a row before its logins are refused (0x9F) without a check. */
        @WithName("address-burst")
        @WithDefault("20")
        int addressBurst();

        /** One more failed login allowed per address after this time. */
        @WithName("address-refill")
        @WithDefault("3s")
        Duration addressRefill();

        /**
         * Failed logins for one user name (from anywhere) before the addresses that failed for it are refused; the
         * user's own devices at other addresses keep logging in.
         */
        @WithName("user-burst")
        @WithDefault("10")
        int userBurst();

        /** One more failed login allowed per user name after this time. */
        @WithName("user-refill")
        @WithDefault("30s")
        Duration userRefill();

        /** Addresses, user names and address/user pairs remembered at most (each table; least recently used go). */
        @WithName("max-tracked")
        @WithDefault("100000")
        int maxTracked();
    }
}
