package dev.mqttsuite.internaltls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Which field of a peer's certificate names its service identity. Explicit, never a guess across fields: a
 * certificate whose chosen field is missing or given twice has no identity and is refused. DNS names are not an
 * identity field: a server certificate lists several (its host names) for host-name verification.
 */
public enum IdentityField {
    /** The subject's single Common Name (CN=broker). */
    CN,
    /** The single URI subject alternative name (e.g. spiffe://mqtt-suite/broker). */
    SAN_URI;

    private static final int SAN_TYPE_URI = 6;

    /** The identity the certificate states in this field, or empty if the field is absent or given twice. */
    public Optional<String> identityOf(X509Certificate certificate) {
        return switch (this) {
            case CN -> commonName(certificate);
            case SAN_URI -> singleSan(certificate, SAN_TYPE_URI);
        };
    }

    private static Optional<String> commonName(X509Certificate certificate) {
        try {
            List<String> names = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN")).map(Rdn::getValue).map(String::valueOf)
                    .toList();
            return names.size() == 1 ? Optional.of(names.get(0)) : Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> singleSan(X509Certificate certificate, int type) {
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans == null) {
                return Optional.empty();
            }
            List<String> names = sans.stream().filter(san -> ((Integer) san.get(0)) == type)
                    .map(san -> String.valueOf(san.get(1))).toList();
            return names.size() == 1 ? Optional.of(names.get(0)) : Optional.empty();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }
}
