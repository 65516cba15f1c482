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

/** A group of users (local, or named like a group claim of tokens) and the roles its members get. */
@Entity
@Table(name = "mqtt_group")
public class GroupEntity extends PanacheEntityBase {

    @Id
    public String name;

    public String description;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "mqtt_group_role", joinColumns = @JoinColumn(name = "group_name"))
    @Column(name = "role_name")
    public Set<String> roles = new LinkedHashSet<>();

    @Version
    public long version;
}
