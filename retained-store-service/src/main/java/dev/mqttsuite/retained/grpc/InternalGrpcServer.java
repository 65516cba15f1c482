package dev.mqttsuite.retained.grpc;

import dev.mqttsuite.internaltls.InternalGrpcEndpoint;
import dev.mqttsuite.retained.config.StoreConfig;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Serves {@link RetainedStoreGrpcService} on the internal port ({@code retained.grpc.port}, the TLS port of the HTTP
 * server) under mutual TLS, to callers whose certificate names an identity in {@code retained.grpc.allowed-callers}
 * (the brokers); the plain HTTP port refuses gRPC. Startup fails naming the setting when the certificate material is
 * missing, unreadable or expired.
 */
@ApplicationScoped
public class InternalGrpcServer {

    @Inject
    StoreConfig config;

    void start(@Observes Router router) {
        InternalGrpcEndpoint.serve(router, config.grpc(), config.internalTls(), "retained", Clock.systemUTC());
    }
}
