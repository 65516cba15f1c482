package dev.mqttsuite.internaltls;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jboss.logging.Logger;

/**
 * Authorizes the caller of an internal gRPC service by its client certificate: the configured {@link IdentityField}
 * names a service identity, which must be one of the allowed callers (e.g. only {@code broker} may call the
 * auth-service). Anything else is answered {@code PERMISSION_DENIED} (no or unusable identity:
 * {@code UNAUTHENTICATED}) before the call reaches a service. The TLS handshake has already checked the certificate
 * against the suite CA. In plain-text mode there is no certificate and every caller is let through (logged at start).
 */
public final class CallerPolicy {

    private static final Logger LOG = Logger.getLogger(CallerPolicy.class);

    private final IdentityField field;
    private final Set<String> allowed;
    private final boolean plaintext;
    private final String setting;

    /**
     * @param setting the allow list's setting name, for messages (e.g. {@code auth.grpc.allowed-callers})
     */
    public CallerPolicy(IdentityField field, Set<String> allowed, boolean plaintext, String setting) {
        if (allowed.isEmpty() || allowed.stream().anyMatch(String::isBlank)) {
            throw new IllegalStateException(setting + " must name at least one caller identity, without blanks");
        }
        this.field = field;
        this.allowed = Set.copyOf(allowed);
        this.plaintext = plaintext;
        this.setting = setting;
    }

    /** The identity of the certificate if it is allowed, else empty. */
    public Optional<String> allowedIdentity(X509Certificate certificate) {
        return field.identityOf(certificate).filter(allowed::contains);
    }

    /** Wraps a gRPC request handler: only allowed callers reach it. */
    public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
        return request -> {
            if (admit(request)) {
                next.handle(request);
            }
        };
    }

    /**
     * Whether the caller of this gRPC request is allowed (always in plain-text mode); a refused call has been answered
     * ({@code UNAUTHENTICATED} or {@code PERMISSION_DENIED}).
     */
    public boolean admit(HttpServerRequest request) {
        if (plaintext) {
            return true;
        }
        X509Certificate peer = peerCertificate(request);
        if (peer == null) {
            GrpcRefusal.refuse(request, GrpcRefusal.UNAUTHENTICATED, "a client certificate is required");
            return false;
        }
        Optional<String> identity = field.identityOf(peer);
        if (identity.isEmpty()) {
            LOG.debugf("Internal gRPC call from %s refused: no single %s in %s", request.remoteAddress(), field,
                    peer.getSubjectX500Principal());
            GrpcRefusal.refuse(request, GrpcRefusal.UNAUTHENTICATED, "the client certificate names no " + field);
            return false;
        }
        if (!allowed.contains(identity.get())) {
            LOG.debugf("Internal gRPC call %s from %s (%s) refused: not in %s", request.path(),
                    request.remoteAddress(), identity.get(), setting);
            GrpcRefusal.refuse(request, GrpcRefusal.PERMISSION_DENIED,
                    "caller '" + identity.get() + "' may not call this service");
            return false;
        }
        return true;
    }

    private static X509Certificate peerCertificate(HttpServerRequest request) {
        try {
            List<Certificate> chain = request.connection().peerCertificates();
            return chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate x509) ? null : x509;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
