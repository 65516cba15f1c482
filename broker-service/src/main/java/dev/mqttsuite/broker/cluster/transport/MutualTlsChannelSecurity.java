package dev.mqttsuite.broker.cluster.transport;

import dev.mqttsuite.internaltls.CallerPolicy;
import dev.mqttsuite.internaltls.IdentityField;
import dev.mqttsuite.internaltls.InternalTls;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;

/**
 * Broker-to-broker gRPC under mutual TLS with the suite's internal certificates: the cluster server demands a client
 * certificate issued by the suite CA and serves only peers whose certificate names an allowed broker identity
 * ({@code broker.cluster.allowed-peers}); other callers get PERMISSION_DENIED before any stream opens. The client
 * presents the broker's certificate and trusts the suite CA only.
 */
public final class MutualTlsChannelSecurity implements ChannelSecurity {

    private final InternalTls tls;
    private final CallerPolicy peers;

    private MutualTlsChannelSecurity(InternalTls tls, CallerPolicy peers) {
        this.tls = tls;
        this.peers = peers;
    }

    /** Mutual TLS from checked material, or {@link ChannelSecurity#PLAINTEXT} in the explicit plain-text mode. */
    public static ChannelSecurity of(InternalTls tls, IdentityField field, Set<String> allowedPeers) {
        if (tls.plaintext()) {
            return PLAINTEXT;
        }
        return new MutualTlsChannelSecurity(tls,
                new CallerPolicy(field, allowedPeers, false, "broker.cluster.allowed-peers"));
    }

    @Override
    public HttpServerOptions serverOptions() {
        return tls.server(ChannelSecurity.http2Server());
    }

    @Override
    public HttpClientOptions clientOptions() {
        return tls.client(ChannelSecurity.http2Client());
    }

    @Override
    public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> grpc) {
        return peers.guard(grpc);
    }

    @Override
    public String describe() {
        return tls.describe();
    }
}
