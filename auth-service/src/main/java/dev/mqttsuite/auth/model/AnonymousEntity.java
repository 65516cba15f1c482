package dev.mqttsuite.auth.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.LinkedHashSet;
import java.util.Set;

/** The anonymous principal (clients without credentials): disabled by default, with its own roles. One row, id 1. */
@Entity
@Table(name = "mqtt_anonymous")
public class AnonymousEntity extends PanacheEntityBase {

    public static final int ID = 1;

    @Id
    public int id;

    public boolean enabled;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "mqtt_anonymous_role", joinColumns = @JoinColumn(name = "anonymous_id"))
    @Column(name = "role_name")
    public Set<String> roles = new LinkedHashSet<>();

    @Version
    public long version;

    public static AnonymousEntity get() {
        return findById(ID);
    }
}
