package dev.mqttsuite.auth.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

/** One rule of a role: allow/deny × publish/subscribe/receive × topic pattern, optional QoS and retain limits. */
@Embeddable
public class RuleSpec {

    public enum Effect { ALLOW, DENY }

    public enum Action { PUBLISH, SUBSCRIBE, RECEIVE }

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Effect effect;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Action action;

    @Column(nullable = false, length = 4096)
    public String pattern;

    @Column(name = "max_qos")
    public Integer maxQos;

    @Column(name = "allow_retain")
    public Boolean allowRetain;

    public RuleSpec() {
    }

    public RuleSpec(Effect effect, Action action, String pattern, Integer maxQos, Boolean allowRetain) {
        this.effect = effect;
        this.action = action;
        this.pattern = pattern;
        this.maxQos = maxQos;
        this.allowRetain = allowRetain;
    }
}
