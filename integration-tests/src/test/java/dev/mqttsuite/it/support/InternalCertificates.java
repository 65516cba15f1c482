package dev.mqttsuite.it.support;

import dev.mqttsuite.internaltls.TestPki;
import java.nio.file.Path;
import java.util.Map;

/**
 * The internal mutual TLS of the processes under test, as {@code ./suite up} sets it up: one suite CA per test run
 * and a certificate per service (CN = its identity: broker, auth-service, retained-store-service), handed to each
 * process through its {@code *_INTERNAL_TLS_*} environment variables.
 */
public final class InternalCertificates {

    private static final Path DIR = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize()
            .resolve("integration-tests/target/it-tls/" + ProcessHandle.current().pid());
    private static final TestPki CA = TestPki.create(DIR, "ca");
    private static final Map<String, TestPki.Issued> ISSUED = new java.util.concurrent.ConcurrentHashMap<>();

    private InternalCertificates() {
    }

    /** The suite CA's certificate file. */
    public static Path ca() {
        return CA.caCert();
    }

    /** A certificate of the suite CA naming {@code identity} (another service's identity for refusal tests). */
    public static TestPki.Issued issued(String identity) {
        return ISSUED.computeIfAbsent(identity, id -> CA.issue(id, id));
    }

    /** The environment giving {@code module} its certificate (empty for services without internal gRPC). */
    static Map<String, String> environment(String module) {
        String prefix = switch (module) {
            case "broker-service" -> "BROKER";
            case "auth-service" -> "AUTH";
            case "retained-store-service" -> "RETAINED";
            default -> null;
        };
        if (prefix == null) {
            return Map.of();
        }
        TestPki.Issued cert = issued("broker-service".equals(module) ? "broker" : module);
        return Map.of(prefix + "_INTERNAL_TLS_PLAINTEXT", "false",
                prefix + "_INTERNAL_TLS_CERT", cert.cert().toString(),
                prefix + "_INTERNAL_TLS_KEY", cert.key().toString(),
                prefix + "_INTERNAL_TLS_CA", cert.ca().toString());
    }
}
