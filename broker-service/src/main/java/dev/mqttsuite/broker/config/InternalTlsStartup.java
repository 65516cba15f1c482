package dev.mqttsuite.broker.config;

import dev.mqttsuite.internaltls.InternalTls;
import java.time.Clock;
import java.util.Optional;

/**
 * Checks the broker's internal TLS material at startup whenever the broker speaks internal gRPC (the auth-service, the
 * retained store, or cluster peers), so that a missing, unreadable or expired file fails the start naming the
 * {@code broker.internal-tls.*} setting instead of the first login. The gRPC clients read the same files through
 * {@code quarkus.grpc.clients.*.ssl.*} (application.properties).
 */
public final class InternalTlsStartup {

    public static final String PREFIX = "broker.internal-tls";

    private InternalTlsStartup() {
    }

    /** The checked material, or empty when this broker uses no internal gRPC. */
    public static Optional<InternalTls> check(BrokerConfig config) {
        boolean used = config.cluster().enabled() || "service".equalsIgnoreCase(config.auth().backend())
                || config.retained().backend() == BrokerConfig.Retained.Backend.SERVICE;
        return used ? Optional.of(InternalTls.load(config.internalTls(), PREFIX, Clock.systemUTC()))
                : Optional.empty();
    }
}
