package dev.mqttsuite.retained.config;

import dev.mqttsuite.internaltls.InternalGrpcConfig;
import dev.mqttsuite.internaltls.InternalTlsConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** The store's typed configuration (prefix {@code retained}); defaults and comments in application.properties. */
@ConfigMapping(prefix = "retained")
public interface StoreConfig {

    enum Storage { LOG, POSTGRESQL }

    enum Sync { ALWAYS, WRITE }

    @WithDefault("log")
    Storage storage();

    @WithName("data-dir")
    @WithDefault("data/retained")
    String dataDir();

    @WithDefault("always")
    Sync sync();

    Compaction compaction();

    Limits limits();

    Expiry expiry();

    Admin admin();

    /** The brokers' gRPC port and who may call it (docs/adr/0012-internal-mutual-tls.md). */
    Grpc grpc();

    /** Mutual TLS of the gRPC port: this service's certificate, key and the suite CA (PEM). */
    @WithName("internal-tls")
    InternalTls internalTls();

    interface Grpc extends InternalGrpcConfig {
    }

    interface InternalTls extends InternalTlsConfig {
    }

    interface Compaction {
        @WithName("min-size")
        @WithDefault("64M")
        MemorySize minSize();
    }

    interface Limits {
        @WithName("max-payload-size")
        @WithDefault("1048576")
        int maxPayloadSize();

        @WithName("max-count")
        @WithDefault("500000")
        long maxCount();

        @WithName("max-total-bytes")
        @WithDefault("128M")
        MemorySize maxTotalBytes();
    }

    interface Expiry {
        @WithDefault("5s")
        Duration interval();

        @WithName("max-per-sweep")
        @WithDefault("10000")
        int maxPerSweep();
    }

    interface Admin {
        @WithDefault("admin")
        String username();

        Optional<String> password();
    }
}
