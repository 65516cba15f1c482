package dev.mqttsuite.internaltls;

import java.util.Set;

/**
 * A service's internal gRPC port and who may call it, as each service maps it under its own prefix
 * ({@code auth.grpc}, {@code retained.grpc}) with a {@code @ConfigMapping} that extends this interface.
 */
public interface InternalGrpcConfig {

    /**
     * The internal gRPC port: the TLS port of the service's HTTP server ({@code quarkus.http.ssl-port} is set to it;
     * it binds on {@code quarkus.http.host}). Unused in plain-text mode, where gRPC is served on the HTTP port.
     */
    int port();

    /** Which certificate field names the caller ({@code CN} or {@code SAN_URI}). */
    IdentityField identityField();

    /** Caller identities allowed to call this service's gRPC methods; every other caller gets PERMISSION_DENIED. */
    Set<String> allowedCallers();
}
