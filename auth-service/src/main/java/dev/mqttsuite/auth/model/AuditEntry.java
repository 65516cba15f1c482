package dev.mqttsuite.auth.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Who changed what, when. Written in the same transaction as the change. */
@Entity
@Table(name = "mqtt_audit")
public class AuditEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public Instant at;

    public String actor;

    public String action;

    public String entity;

    public String name;

    public String detail;

    /** The auth-service process that wrote it ({@link #ORIGIN}). */
    public String origin;

    /** This process, in the audit entries it writes. */
    public static final String ORIGIN = java.util.UUID.randomUUID().toString();

    /** Writes an entry in the caller's transaction and returns it (its id assigned). */
    public static AuditEntry record(String actor, String action, String entity, String name, String detail) {
        AuditEntry entry = new AuditEntry();
        entry.at = Instant.now();
        entry.actor = actor;
        entry.action = action;
        entry.entity = entity;
        entry.name = name;
        entry.detail = detail == null || detail.length() <= 4000 ? detail : detail.substring(0, 4000);
        entry.origin = ORIGIN;
        entry.persist();
        return entry;
    }
}
