package dev.mqttsuite.internaltls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for tests: issues PEM certificates and keys (EC P-256) into a directory, like
 * {@code ./suite up} does with openssl. Server and client usage in one certificate, SANs localhost and 127.0.0.1.
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate caCert;

    private TestPki(Path dir, String name, KeyPair caKeys, X509Certificate caCert) {
        this.dir = dir;
        this.name = name;
        this.caKeys = caKeys;
        this.caCert = caCert;
    }

    /** A new CA writing into {@code dir}; its certificate is {@code <name>.crt}. */
    public static TestPki create(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            KeyPair keys = ecKeys();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(2))), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate ca = sign(builder, keys.getPrivate());
            TestPki pki = new TestPki(dir, name, keys, ca);
            writePem(dir.resolve(name + ".crt"), "CERTIFICATE", ca.getEncoded());
            return pki;
        } catch (IOException | GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path caCert() {
        return dir.resolve(name + ".crt");
    }

    /** Issues a certificate with CN {@code commonName}, valid from 5 minutes ago for a day. */
    public Issued issue(String file, String commonName) {
        Instant now = Instant.now();
        return issue(file, commonName, List.of(), now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
    }

    /** Issues a certificate; {@code uriSans} are added as URI subject alternative names. */
    public Issued issue(String file, String commonName, List<String> uriSans, Instant notBefore, Instant notAfter) {
        try {
            KeyPair keys = ecKeys();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert, serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + commonName), keys.getPublic());
            List<GeneralName> sans = new ArrayList<>();
            sans.add(new GeneralName(GeneralName.dNSName, "localhost"));
            sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            uriSans.forEach(uri -> sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
            X509Certificate cert = sign(builder, caKeys.getPrivate());
            Path certFile = dir.resolve(file + ".crt");
            Path keyFile = dir.resolve(file + ".key");
            writePem(certFile, "CERTIFICATE", cert.getEncoded());
            writePem(keyFile, "PRIVATE KEY", keys.getPrivate().getEncoded());
            return new Issued(certFile, keyFile, caCert());
        } catch (IOException | GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Files of one issued certificate, and the CA that issued it. */
    public record Issued(Path cert, Path key, Path ca) {

        /** An {@link InternalTlsConfig} over these files (mutual TLS on). */
        public InternalTlsConfig config() {
            return new InternalTlsConfig() {
                @Override
                public boolean plaintext() {
                    return false;
                }

                @Override
                public Path cert() {
                    return cert;
                }

                @Override
                public Path key() {
                    return key;
                }

                @Override
                public Path ca() {
                    return ca;
                }
            };
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n",
                StandardCharsets.US_ASCII);
    }
}
