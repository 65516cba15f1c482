package dev.mqttsuite.broker.admin;

import io.quarkus.arc.lookup.LookupUnlessProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** The audit log of a broker without an auth-service: log category {@code audit}, one line per action. */
@ApplicationScoped
@LookupUnlessProperty(name = "broker.auth.backend", stringValue = "service")
public class LoggingAuditLog implements AuditLog {

    static final Logger AUDIT = Logger.getLogger("audit");

    @Override
    public void record(String actor, String action, String entity, String name, String detail) {
        write(actor, action, entity, name, detail);
    }

    static void write(String actor, String action, String entity, String name, String detail) {
        AUDIT.infof("actor=%s action=%s entity=%s name=%s detail=%s", actor, action, entity, name, detail);
    }
}
