package dev.mqttsuite.auth.oidc;

import io.quarkus.oidc.Tenant;
import jakarta.enterprise.util.AnnotationLiteral;

/** Selects the token validator of one Quarkus OIDC tenant programmatically. */
@SuppressWarnings("all")
final class TenantLiteral extends AnnotationLiteral<Tenant> implements Tenant {

    private final String value;

    TenantLiteral(String value) {
        this.value = value;
    }

    @Override
    public String value() {
        return value;
    }
}
