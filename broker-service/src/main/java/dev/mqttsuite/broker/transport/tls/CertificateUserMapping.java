package dev.mqttsuite.broker.transport.tls;

import dev.mqttsuite.broker.config.BrokerConfig;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The user a verified client certificate names, read from exactly the field {@code broker.tls.user-field} says: the
 * subject's common name or one type of subject alternative name. No guessing: a certificate with no value or with
 * several values in that field names no user (the login then proceeds as if no certificate had been presented).
 */
public final class CertificateUserMapping {

    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private final BrokerConfig.Tls.UserField field;

    public CertificateUserMapping(BrokerConfig.Tls.UserField field) {
        this.field = field;
    }

    /** The user name in the configured field, or empty when it holds no value or more than one. */
    public Optional<String> userOf(X509Certificate certificate) {
        List<String> values = switch (field) {
            case CN -> commonNames(certificate.getSubjectX500Principal());
            case SAN_DNS -> alternativeNames(certificate, SAN_DNS);
            case SAN_EMAIL -> alternativeNames(certificate, SAN_EMAIL);
            case SAN_URI -> alternativeNames(certificate, SAN_URI);
        };
        return values.size() == 1 && !values.get(0).isBlank() ? Optional.of(values.get(0)) : Optional.empty();
    }

    private static List<String> commonNames(X500Principal subject) {
        List<String> names = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException unparsable) {
            return List.of();
        }
        return names;
    }

    private static List<String> alternativeNames(X509Certificate certificate, int type) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> all = certificate.getSubjectAlternativeNames();
            if (all != null) {
                for (List<?> san : all) {
                    if (san.size() >= 2 && san.get(0) instanceof Integer t && t == type
                            && san.get(1) instanceof String value) {
                        names.add(value);
                    }
                }
            }
        } catch (CertificateParsingException unparsable) {
            return List.of();
        }
        return names;
    }
}
