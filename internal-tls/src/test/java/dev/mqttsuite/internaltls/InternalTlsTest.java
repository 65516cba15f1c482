package dev.mqttsuite.internaltls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InternalTlsTest {

    @TempDir
    Path dir;

    @Test
    void validMaterial_loadsAsMutualTls() {
        TestPki pki = TestPki.create(dir, "ca");
        InternalTls tls = InternalTls.load(pki.issue("auth", "auth").config(), "auth.internal-tls", Clock.systemUTC());
        assertThat(tls.plaintext()).isFalse();
        assertThat(tls.server(new io.vertx.core.http.HttpServerOptions()).getClientAuth())
                .as("the internal server demands a client certificate").isEqualTo(io.vertx.core.http.ClientAuth.REQUIRED);
    }

    @Test
    void missingKeyFile_failsStartupNamingTheSetting() throws Exception {
        TestPki.Issued issued = TestPki.create(dir, "ca").issue("auth", "auth");
        Files.delete(issued.key());
        assertThatThrownBy(() -> InternalTls.load(issued.config(), "auth.internal-tls", Clock.systemUTC()))
                .hasMessageContaining("auth.internal-tls.key").hasMessageContaining("does not exist");
    }

    @Test
    void expiredCertificate_failsStartupNamingTheSetting() {
        TestPki pki = TestPki.create(dir, "ca");
        Instant now = Instant.now();
        TestPki.Issued issued = pki.issue("old", "broker", List.of(), now.minus(Duration.ofDays(3)),
                now.minus(Duration.ofDays(1)));
        assertThatThrownBy(() -> InternalTls.load(issued.config(), "broker.internal-tls", Clock.systemUTC()))
                .hasMessageContaining("broker.internal-tls.cert").hasMessageContaining("expired");
    }

    @Test
    void certificateOfAnotherCa_failsStartupNamingTheSetting() {
        TestPki.Issued ours = TestPki.create(dir.resolve("a"), "ca").issue("auth", "auth");
        TestPki.Issued theirs = TestPki.create(dir.resolve("b"), "ca").issue("auth", "auth");
        InternalTlsConfig mixed = new TestPki.Issued(theirs.cert(), theirs.key(), ours.ca()).config();
        assertThatThrownBy(() -> InternalTls.load(mixed, "auth.internal-tls", Clock.systemUTC()))
                .hasMessageContaining("auth.internal-tls.cert").hasMessageContaining("not issued by the CA");
    }

    @Test
    void identityField_namesExactlyOneIdentity_orNone() throws Exception {
        TestPki pki = TestPki.create(dir, "ca");
        X509Certificate cert = read(pki.issue("b", "broker", List.of("spiffe://mqtt-suite/broker"),
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600)).cert());
        assertThat(IdentityField.CN.identityOf(cert)).contains("broker");
        assertThat(IdentityField.SAN_URI.identityOf(cert)).contains("spiffe://mqtt-suite/broker");
        X509Certificate noUri = read(pki.issue("c", "console").cert());
        assertThat(IdentityField.SAN_URI.identityOf(noUri)).as("no URI SAN: no identity, never a fallback to CN")
                .isEmpty();
    }

    @Test
    void callerPolicy_admitsOnlyListedIdentities() throws Exception {
        TestPki pki = TestPki.create(dir, "ca");
        CallerPolicy policy = new CallerPolicy(IdentityField.CN, Set.of("broker"), false, "auth.grpc.allowed-callers");
        assertThat(policy.allowedIdentity(read(pki.issue("b", "broker").cert()))).contains("broker");
        assertThat(policy.allowedIdentity(read(pki.issue("c", "console").cert()))).isEmpty();
        assertThatThrownBy(() -> new CallerPolicy(IdentityField.CN, Set.of(), false, "auth.grpc.allowed-callers"))
                .hasMessageContaining("auth.grpc.allowed-callers");
    }

    private static X509Certificate read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
