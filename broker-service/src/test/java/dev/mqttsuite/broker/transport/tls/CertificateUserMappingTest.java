package dev.mqttsuite.broker.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.config.BrokerConfig.Tls.UserField;
import dev.mqttsuite.broker.support.TestCertificates;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** broker.tls.user-field: exactly the configured certificate field names the user; no value or several name nobody. */
class CertificateUserMappingTest {

    private static X509Certificate device;
    private static X509Certificate twoDnsNames;

    @BeforeAll
    static void certificates() {
        device = TestCertificates.certificate("CN=device-7,OU=fleet,O=example",
                "SAN=dns:device-7.example,email:device-7@example.com,uri:spiffe://example/device-7");
        twoDnsNames = TestCertificates.certificate("CN=gateway", "SAN=dns:a.example,dns:b.example");
    }

    @Test
    void cn_namesTheSubjectCommonName_notTheRestOfTheSubject() {
        assertThat(new CertificateUserMapping(UserField.CN).userOf(device)).contains("device-7");
    }

    @Test
    void sanDns_namesTheDnsAlternativeName() {
        assertThat(new CertificateUserMapping(UserField.SAN_DNS).userOf(device)).contains("device-7.example");
    }

    @Test
    void sanEmail_namesTheEmailAlternativeName() {
        assertThat(new CertificateUserMapping(UserField.SAN_EMAIL).userOf(device)).contains("device-7@example.com");
    }

    @Test
    void sanUri_namesTheUriAlternativeName() {
        assertThat(new CertificateUserMapping(UserField.SAN_URI).userOf(device))
                .contains("spiffe://example/device-7");
    }

    @Test
    void severalValuesInTheField_nameNobody_noGuessing() {
        assertThat(new CertificateUserMapping(UserField.SAN_DNS).userOf(twoDnsNames)).isEmpty();
    }

    @Test
    void missingField_namesNobody_evenWhenAnotherFieldHasAValue() {
        assertThat(new CertificateUserMapping(UserField.SAN_EMAIL).userOf(twoDnsNames)).isEmpty();
        assertThat(new CertificateUserMapping(UserField.SAN_URI).userOf(twoDnsNames)).isEmpty();
    }
}
