package dev.mqttsuite.auth.grpc;

import dev.mqttsuite.auth.config.AuthConfig;
import dev.mqttsuite.internaltls.InternalGrpcEndpoint;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Serves {@link AuthGrpcService} on the internal port ({@code auth.grpc.port}, the TLS port of the HTTP server)
 * under mutual TLS, to callers whose certificate names an identity in {@code auth.grpc.allowed-callers} (the
 * brokers); the plain HTTP port refuses gRPC. Startup fails naming the setting when the certificate material is
 * missing, unreadable or expired.
 */
@ApplicationScoped
public class InternalGrpcServer {

    @Inject
    AuthConfig config;

    void start(@Observes Router router) {
        InternalGrpcEndpoint.serve(router, config.grpc(), config.internalTls(), "auth", Clock.systemUTC());
    }
}
