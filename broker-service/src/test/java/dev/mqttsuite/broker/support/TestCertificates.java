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

    public static synchronized Path serverKeystore() {
        if (keystore != null) {
            return keystore;
        }
        try {
            Path dir = Files.createTempDirectory("broker-tls");
            Path file = dir.resolve("broker.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "broker",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", PASSWORD).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(process.getInputStream().readAllBytes()));
            }
            keystore = file;
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
