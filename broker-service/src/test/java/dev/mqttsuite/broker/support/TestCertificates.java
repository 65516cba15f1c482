package dev.mqttsuite.broker.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed PKCS#12 server certificate for localhost/127.0.0.1, made once per test run with the JDK's keytool. */
public final class TestCertificates {

    public static final String PASSWORD = "test-only-password";
    private static Path keystore;

    private TestCertificates() {
    }

    private static Path clientKeystore;
    private static Path clientCertificatePem;

    public static synchronized Path serverKeystore() {
        if (keystore == null) {
            keystore = generate("broker", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        }
        return keystore;
    }

    /** A client certificate (CN=device-1, SAN dns:device-1.example) for mTLS tests. */
    public static synchronized Path clientKeystore() {
        if (clientKeystore == null) {
            clientKeystore = generate("device", "CN=device-1", "SAN=dns:device-1.example");
        }
        return clientKeystore;
    }

    /** The client certificate as PEM: the trust file of a broker that requires client certificates. */
    public static synchronized Path clientCertificatePem() {
        if (clientCertificatePem == null) {
            Path pem = clientKeystore().resolveSibling("device.pem");
            run(keytool(), "-exportcert", "-rfc", "-alias", "device", "-keystore", clientKeystore().toString(),
                    "-storepass", PASSWORD, "-file", pem.toString());
            clientCertificatePem = pem;
        }
        return clientCertificatePem;
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static Path generate(String alias, String dname, String san) {
        try {
            Path file = Files.createTempDirectory("broker-tls").resolve(alias + ".p12");
            run(keytool(), "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity",
                    "2", "-dname", dname, "-ext", san, "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", PASSWORD);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(process.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
