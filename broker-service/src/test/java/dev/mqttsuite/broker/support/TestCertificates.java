package dev.mqttsuite.broker.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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

    /** A fresh self-signed certificate with this subject and {@code -ext} SAN list (e.g. "SAN=dns:a,email:b@c"). */
    public static X509Certificate certificate(String dname, String san) {
        Path keystore = generate("cert", dname, san);
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return (X509Certificate) store.getCertificate("cert");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh server key store (RSA) for localhost with this subject, alias "broker". */
    public static Path serverKeystore(String dname) {
        return generate("broker", dname, "SAN=dns:localhost,ip:127.0.0.1", "-keyalg", "RSA", "-keysize", "2048");
    }

    /**
     * Writes the certificate (PEM) and its private key (PKCS#8 PEM) of alias "broker" in this key store to the two
     * files, the way a Kubernetes TLS Secret mounts tls.crt and tls.key.
     */
    public static void writePem(Path keystore, Path certFile, Path keyFile) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            String cert = "-----BEGIN CERTIFICATE-----\n"
                    + base64.encodeToString(store.getCertificate("broker").getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            String key = "-----BEGIN PRIVATE KEY-----\n"
                    + base64.encodeToString(store.getKey("broker", PASSWORD.toCharArray()).getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(keyFile, key);
            Files.writeString(certFile, cert);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static Path generate(String alias, String dname, String san) {
        return generate(alias, dname, san, "-keyalg", "EC", "-groupname", "secp256r1");
    }

    private static Path generate(String alias, String dname, String san, String... keyAlgorithm) {
        try {
            Path file = Files.createTempDirectory("broker-tls").resolve(alias + ".p12");
            List<String> command = new ArrayList<>(List.of(keytool(), "-genkeypair", "-alias", alias));
            command.addAll(List.of(keyAlgorithm));
            command.addAll(List.of("-validity", "2", "-dname", dname, "-ext", san, "-storetype", "PKCS12",
                    "-keystore", file.toString(), "-storepass", PASSWORD));
            run(command.toArray(String[]::new));
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
