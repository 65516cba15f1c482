package dev.mqttsuite.internaltls;

import java.nio.file.Path;

/**
 * The PEM material of one service's internal mutual TLS, as each service maps it under its own prefix
 * ({@code auth.internal-tls}, {@code retained.internal-tls}, {@code broker.internal-tls}) with a {@code @ConfigMapping}
 * that extends this interface.
 */
public interface InternalTlsConfig {

    /**
     * Plain text instead of mutual TLS: an explicit choice for tests and development on one machine, logged as a
     * warning at every start. Never in production (the k8s manifests and {@code ./suite up} use TLS).
     */
    boolean plaintext();

    /** This service's certificate chain (PEM), presented as server and as client certificate. */
    Path cert();

    /** The private key of {@link #cert()} (PEM, PKCS#8 or PKCS#1). */
    Path key();

    /** The suite CA (PEM): the only issuer whose certificates this service accepts from a peer. */
    Path ca();
}
