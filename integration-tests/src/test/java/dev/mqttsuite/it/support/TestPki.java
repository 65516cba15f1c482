package dev.mqttsuite.it.support;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the JDK's keytool (no openssl needed): a CA, and certificates it signed, written as PEM
 * files (certificate, PKCS#8 key) that Mosquitto and Vert.x read.
 */
public final class TestPki {

    private static final String PASSWORD = "test-pki-password";
    private final Path dir;

    public TestPki(Path dir) throws IOException {
        this.dir = dir;
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=mqtt-suite-test-ca",
                "-ext", "bc:c", "-validity", "2", "-keystore", store("ca").toString(), "-storetype", "PKCS12");
        Files.writeString(caPem(), keytoolOut("-exportcert", "-rfc", "-alias", "ca", "-keystore", store("ca").toString()));
    }

    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** Issues a certificate for {@code cn} (with a SAN for 127.0.0.1 and localhost); writes {@code name}.pem/.key. */
    public void issue(String name, String cn) throws IOException {
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + cn,
                "-validity", "2", "-keystore", store(name).toString(), "-storetype", "PKCS12");
        Path csr = dir.resolve(name + ".csr");
        keytool("-certreq", "-alias", name, "-keystore", store(name).toString(), "-file", csr.toString());
        String cert = keytoolOut("-gencert", "-alias", "ca", "-keystore", store("ca").toString(), "-infile",
                csr.toString(), "-rfc", "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost");
        Files.writeString(dir.resolve(name + ".pem"), cert);
        try (FileInputStream in = new FileInputStream(store(name).toFile())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) ks.getKey(name, PASSWORD.toCharArray());
            Files.writeString(dir.resolve(name + ".key"), "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        } catch (Exception e) {
            throw new IOException("cannot export the key of " + name, e);
        }
    }

    public Path cert(String name) {
        return dir.resolve(name + ".pem");
    }

    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    private Path store(String name) {
        return dir.resolve(name + ".p12");
    }

    private void keytool(String... args) throws IOException {
        keytoolOut(args);
    }

    private String keytoolOut(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }
}
