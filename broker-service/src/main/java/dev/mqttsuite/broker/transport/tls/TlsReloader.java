package dev.mqttsuite.broker.transport.tls;

import dev.mqttsuite.broker.config.BrokerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Hot reload of the public TLS listeners' certificate: every {@code broker.tls.reload-interval} the configured
 * certificate, key, key store and trust files are read (on a worker thread) and fingerprinted; when the contents
 * change (a Kubernetes Secret update swaps them atomically, cert-manager renews them) the new material is handed to
 * every listener with {@code NetServer.updateSSLOptions(options, true)}: new handshakes use it, connections that are
 * open keep their TLS session and stay up. A change that does not load (a half-written file) is logged and counted;
 * the listeners keep the previous material and the next change is tried again.
 * Counted in {@code mqtt_tls_reloads_total{outcome="loaded|failed"}}.
 */
public final class TlsReloader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TlsReloader.class);

    /** A running listener whose TLS material can be replaced. */
    @FunctionalInterface
    public interface Listener {
        Future<Boolean> updateSslOptions(SSLOptions options);
    }

    private final Vertx vertx;
    private final BrokerConfig.Tls tls;
    private final MeterRegistry registry;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile String fingerprint;
    private long timer = -1;

    public TlsReloader(Vertx vertx, BrokerConfig.Tls tls, MeterRegistry registry) {
        this.vertx = vertx;
        this.tls = tls;
        this.registry = registry;
    }

    public void add(List<? extends Listener> running) {
        listeners.addAll(running);
    }

    /** Takes the current files as the loaded material and checks them every reload-interval (0: never). */
    public void start() throws IOException {
        fingerprint = fingerprint(TlsMaterial.files(tls));
        registry.counter("mqtt.tls.reloads", "outcome", "loaded");
        registry.counter("mqtt.tls.reloads", "outcome", "failed");
        long interval = tls.reloadInterval().toMillis();
        if (interval > 0) {
            timer = vertx.setPeriodic(interval, id -> check());
        }
    }

    private void check() {
        vertx.executeBlocking(() -> fingerprint(TlsMaterial.files(tls)), false).onSuccess(current -> {
            if (current.equals(fingerprint)) {
                return;
            }
            fingerprint = current;
            reload();
        }).onFailure(unreadable -> LOG.debugf("TLS files not readable now (%s); checked again in %s",
                unreadable.toString(), tls.reloadInterval()));
    }

    /** Hands the material now on disk to every listener. */
    public Future<Void> reload() {
        SSLOptions options = TlsMaterial.sslOptions(tls);
        List<Future<Boolean>> updates = listeners.stream().map(l -> l.updateSslOptions(options)).toList();
        return Future.all(updates).<Void>mapEmpty().onSuccess(done -> {
            registry.counter("mqtt.tls.reloads", "outcome", "loaded").increment();
            LOG.infof("TLS certificate reloaded from %s (open connections keep theirs)", TlsMaterial.files(tls));
        }).onFailure(failure -> {
            registry.counter("mqtt.tls.reloads", "outcome", "failed").increment();
            LOG.errorf("TLS certificate files changed but do not load (%s): the listeners keep the previous"
                    + " certificate", failure.toString());
        });
    }

    static String fingerprint(List<Path> files) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
