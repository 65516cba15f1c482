package dev.mqttsuite.auth.grpc;

import dev.mqttsuite.auth.config.AuthConfig;
import dev.mqttsuite.internaltls.InternalGrpcEndpoint;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Serves {@link AuthGrpcService} on its own port ({@code auth.grpc.port}) under mutual TLS, to callers whose
 * certificate names an identity in {@code auth.grpc.allowed-callers} (the brokers); the HTTP port refuses gRPC.
 * Startup fails naming the setting when the certificate material is missing, unreadable or expired.
 */
@ApplicationScoped
public class InternalGrpcServer {

    @Inject
    AuthConfig config;

    @Inject
    Vertx vertx;

    private volatile InternalGrpcEndpoint endpoint;

    void start(@Observes Router router) {
        endpoint = InternalGrpcEndpoint.serve(vertx, router, config.grpc(), config.internalTls(), "auth",
                Clock.systemUTC());
    }

    void stop(@Observes ShutdownEvent event) {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** The bound internal gRPC port. */
    public int port() {
        return endpoint.port();
    }
}
