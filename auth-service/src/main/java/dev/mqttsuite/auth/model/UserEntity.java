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

/**
 * A user: a device with credentials (salted PBKDF2 hash, never the password) or an OIDC subject known by its user
 * name claim, with local groups and roles.
 */
@Entity
@Table(name = "mqtt_user")
public class UserEntity extends PanacheEntityBase {

    @Id
    public String username;

    @Column(name = "password_hash")
    public String passwordHash;

    public boolean disabled;

    public boolean superuser;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "mqtt_user_group", joinColumns = @JoinColumn(name = "username"))
    @Column(name = "group_name")
    public Set<String> groups = new LinkedHashSet<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "mqtt_user_role", joinColumns = @JoinColumn(name = "username"))
    @Column(name = "role_name")
    public Set<String> roles = new LinkedHashSet<>();

    @Version
    public long version;
}
