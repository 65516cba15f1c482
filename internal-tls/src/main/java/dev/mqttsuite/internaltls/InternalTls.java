package dev.mqttsuite.internaltls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One service's internal TLS material, checked once at startup: the certificate, its key and the suite CA must be
 * readable PEM, the certificate valid now and issued by that CA, or startup fails naming the setting. Makes the
 * Vert.x options of the internal gRPC server (client certificate REQUIRED) and clients (the same key pair, trust of
 * the suite CA only). {@link #plaintext} is the explicit, loudly logged development mode.
 */
public final class InternalTls {

    private static final Logger LOG = Logger.getLogger(InternalTls.class);

    private final String prefix;
    private final boolean plaintext;
    private final Path cert;
    private final Path key;
    private final Path ca;
    private final String subject;

    private InternalTls(String prefix, boolean plaintext, Path cert, Path key, Path ca, String subject) {
        this.prefix = prefix;
        this.plaintext = plaintext;
        this.cert = cert;
        this.key = key;
        this.ca = ca;
        this.subject = subject;
    }

    /**
     * Checks the configured material (prefix: the settings' prefix, e.g. {@code auth.internal-tls}, for messages).
     *
     * @throws IllegalStateException naming the setting whose file is missing, unreadable, not PEM, expired, not yet
     *                               valid or not issued by the configured CA
     */
    public static InternalTls load(InternalTlsConfig config, String prefix, Clock clock) {
        if (config.plaintext()) {
            LOG.warnf("INSECURE: internal gRPC in PLAIN TEXT (%s.plaintext=true): any process that reaches the "
                    + "internal port is served without a certificate. For tests and development only.", prefix);
            return new InternalTls(prefix, true, null, null, null, null);
        }
        X509Certificate caCert = readCertificates(config.ca(), prefix + ".ca").get(0);
        List<X509Certificate> chain = readCertificates(config.cert(), prefix + ".cert");
        X509Certificate leaf = chain.get(0);
        Instant now = clock.instant();
        checkValid(caCert, now, prefix + ".ca", config.ca());
        checkValid(leaf, now, prefix + ".cert", config.cert());
        try {
            leaf.verify(caCert.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(prefix + ".cert: " + config.cert() + " is not issued by the CA in "
                    + prefix + ".ca (" + config.ca() + "): " + e.getMessage(), e);
        }
        String keyText = readText(config.key(), prefix + ".key");
        if (!keyText.contains("PRIVATE KEY-----")) {
            throw new IllegalStateException(prefix + ".key: " + config.key() + " holds no PEM private key");
        }
        return new InternalTls(prefix, false, config.cert(), config.key(), config.ca(),
                leaf.getSubjectX500Principal().getName());
    }

    public boolean plaintext() {
        return plaintext;
    }

    /** For the startup log. */
    public String describe() {
        return plaintext ? "PLAIN TEXT (" + prefix + ".plaintext=true)"
                : "mutual TLS (" + subject + ", CA " + ca + ")";
    }

    /** Server options: this certificate, a client certificate signed by the suite CA REQUIRED, HTTP/2 by ALPN. */
    public HttpServerOptions server(HttpServerOptions options) {
        if (plaintext) {
            return options.setSsl(false).setHttp2ClearTextEnabled(true);
        }
        return options.setSsl(true).setUseAlpn(true).setClientAuth(ClientAuth.REQUIRED)
                .setSslEngineOptions(pooledJdkEngine()).setKeyCertOptions(keyCert()).setTrustOptions(trust());
    }

    /**
     * Client options: this certificate as client certificate, trust of the suite CA only. Host names are not
     * verified: peers are reached by the IP address they announce and are authorized by their certificate's identity
     * instead (see {@link CallerPolicy}).
     */
    public HttpClientOptions client(HttpClientOptions options) {
        if (plaintext) {
            return options.setSsl(false).setHttp2ClearTextUpgrade(false);
        }
        return options.setSsl(true).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2)
                .setVerifyHost(false).setSslEngineOptions(pooledJdkEngine()).setKeyCertOptions(keyCert())
                .setTrustOptions(trust());
    }

    /**
     * The JDK's TLS engine with pooled heap buffers. Without it Vert.x gives a TLS channel an unpooled heap allocator,
     * and every flush allocates a fresh output buffer the size of a TLS record (about 17 KiB): on a cluster stream at
     * 10,000 msg/s that was the largest share of the sending broker's garbage (docs/benchmarks.md, broker cluster).
     */
    public static JdkSSLEngineOptions pooledJdkEngine() {
        return new JdkSSLEngineOptions().setPooledHeapBuffers(true);
    }

    private PemKeyCertOptions keyCert() {
        return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
    }

    private PemTrustOptions trust() {
        return new PemTrustOptions().addCertPath(ca.toString());
    }

    private static List<X509Certificate> readCertificates(Path file, String setting) {
        readText(file, setting);
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .stream().map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IllegalStateException(setting + ": " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(setting + ": " + file + " is not a PEM certificate: " + e.getMessage(),
                    e);
        }
    }

    private static String readText(Path file, String setting) {
        if (file == null) {
            throw new IllegalStateException(setting + " is not set (a PEM file; or set the explicit plain-text mode)");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(setting + ": " + file.toAbsolutePath() + " does not exist");
        }
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(setting + ": " + file.toAbsolutePath() + " is not readable: " + e, e);
        }
    }

    private static void checkValid(X509Certificate certificate, Instant now, String setting, Path file) {
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new IllegalStateException(setting + ": the certificate in " + file + " expired on "
                    + certificate.getNotAfter().toInstant());
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new IllegalStateException(setting + ": the certificate in " + file + " is not valid before "
                    + certificate.getNotBefore().toInstant());
        }
    }
}
