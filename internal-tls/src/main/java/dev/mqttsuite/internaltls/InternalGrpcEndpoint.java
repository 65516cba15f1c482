package dev.mqttsuite.internaltls;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * A service's internal gRPC port is the TLS port of the application's own HTTP server (Quarkus TLS registry:
 * {@code quarkus.http.ssl-port=${<svc>.grpc.port}}, client certificate requested, trust = the suite CA). One route,
 * ordered before every other one, decides per request: a gRPC call on the TLS port must come from an allowed caller
 * ({@link CallerPolicy}), a gRPC call on the plain HTTP port is refused with {@code UNIMPLEMENTED}, anything else
 * (REST, health, metrics) passes. In the explicit plain-text mode there is no TLS port and gRPC is served on the HTTP
 * port. Requests are never handed from one server to another: quarkus-grpc answers on the connection that received
 * the call.
 */
public final class InternalGrpcEndpoint {

    private static final Logger LOG = Logger.getLogger(InternalGrpcEndpoint.class);

    /** Route order of the guard: before every application and quarkus-grpc route. */
    public static final int GUARD_ORDER = -1_000_000;

    private final CallerPolicy policy;
    private final boolean plaintext;

    private InternalGrpcEndpoint(CallerPolicy policy, boolean plaintext) {
        this.policy = policy;
        this.plaintext = plaintext;
    }

    /**
     * Checks the TLS material (startup fails naming the setting) and installs the guard route.
     *
     * @param prefix the service's settings prefix ({@code auth}: {@code auth.grpc.*}, {@code auth.internal-tls.*})
     */
    public static InternalGrpcEndpoint serve(Router router, InternalGrpcConfig grpc, InternalTlsConfig tlsConfig,
            String prefix, Clock clock) {
        InternalTls tls = InternalTls.load(tlsConfig, prefix + ".internal-tls", clock);
        CallerPolicy policy = new CallerPolicy(grpc.identityField(), grpc.allowedCallers(), tls.plaintext(),
                prefix + ".grpc.allowed-callers");
        InternalGrpcEndpoint endpoint = new InternalGrpcEndpoint(policy, tls.plaintext());
        router.route().order(GUARD_ORDER).handler(rc -> {
            if (endpoint.admit(rc.request())) {
                rc.next();
            }
        });
        if (tls.plaintext()) {
            LOG.infof("Internal gRPC in plain text on the HTTP port (%s.internal-tls.plaintext=true)", prefix);
        } else {
            LOG.infof("Internal gRPC on the TLS port %s.grpc.port=%d, %s; callers allowed (%s of the client "
                    + "certificate): %s", prefix, grpc.port(), tls.describe(), grpc.identityField(),
                    grpc.allowedCallers());
        }
        return endpoint;
    }

    /** Whether the request may go on to the application's routes; a refused gRPC call has been answered. */
    boolean admit(HttpServerRequest request) {
        if (!GrpcRefusal.isGrpc(request) || plaintext) {
            return true;
        }
        if (!request.isSSL()) {
            GrpcRefusal.refuse(request, GrpcRefusal.UNIMPLEMENTED, "gRPC is served on the internal TLS port only");
            return false;
        }
        return policy.admit(request);
    }
}
