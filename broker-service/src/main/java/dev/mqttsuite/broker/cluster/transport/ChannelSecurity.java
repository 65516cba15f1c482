package dev.mqttsuite.broker.cluster.transport;

import io.vertx.core.Handler;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * How the broker-to-broker gRPC channels are secured: every server and client option set of the cluster transport is
 * made here, so mutual TLS plugs in as one implementation (server: key and certificate, trust of the internal CA,
 * {@code ClientAuth.REQUIRED}; client: the same key pair and trust, host verification) without touching the links.
 * {@link MutualTlsChannelSecurity} is the default; {@link #PLAINTEXT} the explicit development mode
 * ({@code broker.internal-tls.plaintext=true}); docs/adr/0011-broker-cluster-routing.md,
 * docs/adr/0012-internal-mutual-tls.md.
 */
public interface ChannelSecurity {

    /** Options of the gRPC server peers forward to (HTTP/2; TLS when secured). */
    HttpServerOptions serverOptions();

    /** Options of the client this broker forwards with (HTTP/2 with prior knowledge, or ALPN under TLS). */
    HttpClientOptions clientOptions();

    /** For the startup log. */
    String describe();

    /** Wraps the cluster gRPC server's handler: only authorized peers reach it (plain text: everyone). */
    default Handler<HttpServerRequest> guard(Handler<HttpServerRequest> grpc) {
        return grpc;
    }

    /** HTTP/2 server options of a cluster stream, before transport security. */
    static HttpServerOptions http2Server() {
        return new HttpServerOptions().setTcpNoDelay(true).setHttp2ClearTextEnabled(true)
                .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW))
                .setHttp2ConnectionWindowSize(STREAM_WINDOW);
    }

    /** HTTP/2 client options of a cluster stream (one connection per peer), before transport security. */
    static HttpClientOptions http2Client() {
        return new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                .setTcpNoDelay(true).setHttp2MaxPoolSize(1)
                .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW))
                .setHttp2ConnectionWindowSize(STREAM_WINDOW);
    }

    /**
     * HTTP/2 flow-control windows of a cluster stream: HTTP/2's 64 KiB default would allow about two full frames in
     * flight per round trip; the bound on memory is the forward window (messages), not this.
     */
    int STREAM_WINDOW = 4 * 1024 * 1024;

    /** Clear-text HTTP/2: for a trusted network (loopback, a NetworkPolicy that admits only broker pods). */
    ChannelSecurity PLAINTEXT = new ChannelSecurity() {
        @Override
        public HttpServerOptions serverOptions() {
            return http2Server();
        }

        @Override
        public HttpClientOptions clientOptions() {
            return http2Client();
        }

        @Override
        public String describe() {
            return "plain text";
        }
    };
}
