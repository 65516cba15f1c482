package dev.mqttsuite.internaltls;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * The certificates a service's mutual TLS tests need, from a throw-away suite CA: the service's own, a broker's (an
 * allowed caller), a console's (a caller of the right CA but the wrong identity) and a broker's from another CA.
 */
public final class MutualTlsFixture {

    public final TestPki.Issued server;
    public final TestPki.Issued broker;
    public final TestPki.Issued console;
    public final TestPki.Issued foreignBroker;

    private MutualTlsFixture(Path dir, String service) {
        TestPki suite = TestPki.create(dir.resolve("suite"), "ca");
        server = suite.issue(service, service);
        broker = suite.issue("broker", "broker");
        console = suite.issue("console", "console");
        foreignBroker = TestPki.create(dir.resolve("foreign"), "ca").issue("broker", "broker");
    }

    /** Generates the certificates of {@code service} into a new temporary directory. */
    public static MutualTlsFixture create(String service) {
        try {
            return new MutualTlsFixture(Files.createTempDirectory(service + "-mtls"), service);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The service's settings turning mutual TLS on with its certificate ({@code prefix}: e.g. {@code auth}): its own
     * settings and the TLS port of the HTTP server (the %prod settings of the service's application.properties).
     */
    public Map<String, String> overrides(String prefix) {
        return Map.of(prefix + ".internal-tls.plaintext", "false",
                prefix + ".internal-tls.cert", server.cert().toString(),
                prefix + ".internal-tls.key", server.key().toString(),
                prefix + ".internal-tls.ca", server.ca().toString(),
                "quarkus.http.insecure-requests", "enabled",
                "quarkus.http.tls-configuration-name", "internal",
                "quarkus.tls.internal.key-store.pem.0.cert", server.cert().toString(),
                "quarkus.tls.internal.key-store.pem.0.key", server.key().toString(),
                "quarkus.tls.internal.trust-store.pem.certs", server.ca().toString());
    }

    /** A TLS channel to localhost:port trusting the suite CA, presenting {@code client} (null: no certificate). */
    public ManagedChannel channel(int port, TestPki.Issued client) {
        SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(server.ca().toFile());
        if (client != null) {
            ssl.keyManager(client.cert().toFile(), client.key().toFile());
        }
        try {
            return NettyChannelBuilder.forAddress("localhost", port).sslContext(ssl.build()).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }
}
