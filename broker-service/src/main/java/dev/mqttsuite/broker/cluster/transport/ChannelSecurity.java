package dev.mqttsuite.broker.cluster.transport;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;

/**
 * How the broker-to-broker gRPC channels are secured: every server and client option set of the cluster transport is
 * made here, so mutual TLS plugs in as one implementation (server: key and certificate, trust of the internal CA,
 * {@code ClientAuth.REQUIRED}; client: the same key pair and trust, host verification) without touching the links.
 * Phase 1 ships {@link #PLAINTEXT} (docs/adr/0010-broker-cluster-routing.md).
 */
public interface ChannelSecurity {

    /** Options of the gRPC server peers forward to (HTTP/2; TLS when secured). */
    HttpServerOptions serverOptions();

    /** Options of the client this broker forwards with (HTTP/2 with prior knowledge, or ALPN under TLS). */
    HttpClientOptions clientOptions();

    /** For the startup log. */
    String describe();

    /** Clear-text HTTP/2: for a trusted network (loopback, a NetworkPolicy that admits only broker pods). */
    ChannelSecurity PLAINTEXT = new ChannelSecurity() {
        @Override
        public HttpServerOptions serverOptions() {
            return new HttpServerOptions().setTcpNoDelay(true).setHttp2ClearTextEnabled(true);
        }

        @Override
        public HttpClientOptions clientOptions() {
            return new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                    .setTcpNoDelay(true).setHttp2MaxPoolSize(1);
        }

        @Override
        public String describe() {
            return "plain text";
        }
    };
}
