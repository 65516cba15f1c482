package dev.mqttsuite.auth.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.ArrayList;
import java.util.List;

/** A role: a priority and an ordered list of rules. Higher priority is evaluated first. */
@Entity
@Table(name = "mqtt_role")
public class RoleEntity extends PanacheEntityBase {

    @Id
    public String name;

    public int priority;

    public String description;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "mqtt_role_rule", joinColumns = @JoinColumn(name = "role_name"))
    @OrderColumn(name = "position")
    public List<RuleSpec> rules = new ArrayList<>();

    @Version
    public long version;
}
