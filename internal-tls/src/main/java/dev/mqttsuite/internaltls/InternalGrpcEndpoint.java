package dev.mqttsuite.internaltls;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A service's internal gRPC port: a Vert.x HTTP/2 server of its own (mutual TLS unless the explicit plain-text mode)
 * whose authorized gRPC calls are handed to the application's router, where quarkus-grpc serves them. The HTTP port
 * keeps REST, health and metrics and refuses every gRPC call ({@link #refuseGrpcOnOtherPorts}).
 */
public final class InternalGrpcEndpoint {

    private static final Logger LOG = Logger.getLogger(InternalGrpcEndpoint.class);

    /** Route order of the HTTP-port refusal: before every application and quarkus-grpc route. */
    public static final int GUARD_ORDER = -1_000_000;

    private final HttpServer server;

    private InternalGrpcEndpoint(HttpServer server) {
        this.server = server;
    }

    /**
     * Loads the TLS material (startup fails naming the setting), binds the internal port and makes the router refuse
     * gRPC on every other port.
     *
     * @param prefix the service's settings prefix ({@code auth}: {@code auth.grpc.*}, {@code auth.internal-tls.*})
     */
    public static InternalGrpcEndpoint serve(Vertx vertx, Router router, InternalGrpcConfig grpc,
            InternalTlsConfig tlsConfig, String prefix, Clock clock) {
        InternalTls tls = InternalTls.load(tlsConfig, prefix + ".internal-tls", clock);
        CallerPolicy policy = new CallerPolicy(grpc.identityField(), grpc.allowedCallers(), tls.plaintext(),
                prefix + ".grpc.allowed-callers");
        InternalGrpcEndpoint endpoint = start(vertx, router, grpc.host(), grpc.port(), tls, policy,
                prefix + ".grpc.port");
        endpoint.refuseGrpcOnOtherPorts(router);
        if (!tls.plaintext()) {
            LOG.infof("Internal gRPC callers allowed (%s of the client certificate): %s", grpc.identityField(),
                    grpc.allowedCallers());
        }
        return endpoint;
    }

    /**
     * Binds the internal port and serves gRPC calls that pass the caller policy through the router; anything that is
     * not gRPC gets 404. Blocks until bound (startup thread).
     *
     * @param portSetting the port's setting name, for the error when it cannot be bound
     */
    public static InternalGrpcEndpoint start(Vertx vertx, Router router, String host, int port, InternalTls tls,
            CallerPolicy policy, String portSetting) {
        HttpServerOptions options = tls.server(new HttpServerOptions().setHost(host).setPort(port)
                .setTcpNoDelay(true));
        var authorized = policy.guard(router::handle);
        HttpServer server = vertx.createHttpServer(options).requestHandler(request -> {
            if (!GrpcRefusal.isGrpc(request)) {
                request.response().setStatusCode(404).end();
                return;
            }
            authorized.handle(request);
        });
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot bind the internal gRPC port " + host + ":" + port + " ("
                    + portSetting + "): " + (e.getCause() != null ? e.getCause() : e), e);
        }
        LOG.infof("Internal gRPC on %s:%d, %s", host, server.actualPort(), tls.describe());
        return new InternalGrpcEndpoint(server);
    }

    /** The bound port (the configured one, or the one chosen for 0). */
    public int port() {
        return server.actualPort();
    }

    /**
     * Refuses gRPC calls that arrive anywhere but the internal port (the HTTP port serves REST, health and metrics
     * only): {@code UNIMPLEMENTED}, before quarkus-grpc sees them.
     */
    public void refuseGrpcOnOtherPorts(Router router) {
        router.route().order(GUARD_ORDER).handler(rc -> {
            if (GrpcRefusal.isGrpc(rc.request()) && rc.request().localAddress().port() != port()) {
                GrpcRefusal.refuse(rc.request(), GrpcRefusal.UNIMPLEMENTED,
                        "gRPC is served on the internal port only");
                return;
            }
            rc.next();
        });
    }

    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("Closing the internal gRPC server: %s", e.toString());
        }
    }
}
