package dev.mqttsuite.broker.transport.tls;

import dev.mqttsuite.broker.config.BrokerConfig;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The certificate, key and trust material of the public TLS listeners (MQTT over TLS and wss) from
 * {@code broker.tls.*}: one place for the listeners at startup and for {@link TlsReloader}.
 */
public final class TlsMaterial {

    /** The protocol versions the TLS listeners accept. */
    public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private TlsMaterial() {
    }

    public static KeyCertOptions keyCert(BrokerConfig.Tls tls) {
        if (tls.keystoreFile().isPresent()) {
            return new PfxOptions().setPath(tls.keystoreFile().get()).setPassword(tls.keystorePassword().orElse(""));
        }
        return new PemKeyCertOptions().setCertPath(tls.certFile().orElseThrow())
                .setKeyPath(tls.keyFile().orElseThrow());
    }

    public static Optional<TrustOptions> trust(BrokerConfig.Tls tls) {
        return tls.trustFile().map(file -> new PemTrustOptions().addCertPath(file));
    }

    /** The options a running listener is updated with when the files change. */
    public static SSLOptions sslOptions(BrokerConfig.Tls tls) {
        SSLOptions options = new SSLOptions().setKeyCertOptions(keyCert(tls))
                .setEnabledSecureTransportProtocols(PROTOCOLS);
        trust(tls).ifPresent(options::setTrustOptions);
        return options;
    }

    /** The files the material is read from: what {@link TlsReloader} watches. */
    public static List<Path> files(BrokerConfig.Tls tls) {
        List<Path> files = new ArrayList<>();
        tls.certFile().map(Path::of).ifPresent(files::add);
        tls.keyFile().map(Path::of).ifPresent(files::add);
        tls.keystoreFile().map(Path::of).ifPresent(files::add);
        tls.trustFile().map(Path::of).ifPresent(files::add);
        return files;
    }
}
