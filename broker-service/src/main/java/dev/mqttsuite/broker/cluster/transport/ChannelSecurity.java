package dev.mqttsuite.broker.cluster.transport;

import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;

/**
 * How the broker-to-broker gRPC channels are secured: every server and client option set of the cluster transport is
 * made here, so mutual TLS plugs in as one implementation (server: key and certificate, trust of the internal CA,
 * {@code ClientAuth.REQUIRED}; client: the same key pair and trust, host verification) without touching the links.
 * Phase 1 ships {@link #PLAINTEXT} (docs/adr/0011-broker-cluster-routing.md).
 */
public interface ChannelSecurity {

    /** Options of the gRPC server peers forward to (HTTP/2; TLS when secured). */
    HttpServerOptions serverOptions();

    /** Options of the client this broker forwards with (HTTP/2 with prior knowledge, or ALPN under TLS). */
    HttpClientOptions clientOptions();

    /** For the startup log. */
    String describe();

    /**
     * HTTP/2 flow-control windows of a cluster stream: HTTP/2's 64 KiB default would allow about two full frames in
     * flight per round trip; the bound on memory is the forward window (messages), not this.
     */
    int STREAM_WINDOW = 4 * 1024 * 1024;

    /** Clear-text HTTP/2: for a trusted network (loopback, a NetworkPolicy that admits only broker pods). */
    ChannelSecurity PLAINTEXT = new ChannelSecurity() {
        @Override
        public HttpServerOptions serverOptions() {
            return new HttpServerOptions().setTcpNoDelay(true).setHttp2ClearTextEnabled(true)
                    .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW))
                    .setHttp2ConnectionWindowSize(STREAM_WINDOW);
        }

        @Override
        public HttpClientOptions clientOptions() {
            return new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                    .setTcpNoDelay(true).setHttp2MaxPoolSize(1)
                    .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW))
                    .setHttp2ConnectionWindowSize(STREAM_WINDOW);
        }

        @Override
        public String describe() {
            return "plain text";
        }
    };
}
