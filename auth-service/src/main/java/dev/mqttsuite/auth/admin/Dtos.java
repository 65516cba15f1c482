package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.model.AnonymousEntity;
import dev.mqttsuite.auth.model.Drafts;
import dev.mqttsuite.auth.model.GroupEntity;
import dev.mqttsuite.auth.model.RoleEntity;
import dev.mqttsuite.auth.model.RuleSpec;
import dev.mqttsuite.auth.model.UserEntity;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The JSON shapes of the admin API, and their mapping to the model's {@link Drafts}. */
@RegisterForReflection(targets = {Dtos.RuleDto.class, Dtos.RoleDto.class, Dtos.GroupDto.class, Dtos.UserDto.class,
        Dtos.AnonymousDto.class, Dtos.ExplainDto.class, Dtos.AuditDto.class})
public final class Dtos {

    private Dtos() {
    }

    public record RuleDto(RuleSpec.Effect effect, RuleSpec.Action action, String pattern, Integer maxQos,
            Boolean allowRetain) {
        static RuleDto of(RuleSpec r) {
            return new RuleDto(r.effect, r.action, r.pattern, r.maxQos, r.allowRetain);
        }

        RuleSpec spec() {
            return new RuleSpec(effect, action, pattern, maxQos, allowRetain);
        }
    }

    public record RoleDto(String name, Integer priority, String description, List<RuleDto> rules) {
        static RoleDto of(RoleEntity r) {
            return new RoleDto(r.name, r.priority, r.description, r.rules.stream().map(RuleDto::of).toList());
        }

        Drafts.Role draft() {
            return new Drafts.Role(name, priority, description,
                    rules == null ? null : rules.stream().map(r -> r == null ? null : r.spec()).toList());
        }
    }

    public record GroupDto(String name, String description, List<String> roles) {
        static GroupDto of(GroupEntity g) {
            return new GroupDto(g.name, g.description, List.copyOf(g.roles));
        }

        Drafts.Group draft() {
            return new Drafts.Group(name, description, roles);
        }
    }

    /** {@code password} is accepted on create/update and never returned. */
    public record UserDto(String username, String password, Boolean disabled, Boolean superuser, List<String> groups,
            List<String> roles, Boolean hasPassword) {
        static UserDto of(UserEntity u) {
            return new UserDto(u.username, null, u.disabled, u.superuser, List.copyOf(u.groups), List.copyOf(u.roles),
                    u.passwordHash != null);
        }

        Drafts.User draft() {
            return new Drafts.User(username, password, disabled, superuser, groups, roles);
        }
    }

    public record AnonymousDto(Boolean enabled, List<String> roles) {
        static AnonymousDto of(AnonymousEntity a) {
            return new AnonymousDto(a.enabled, List.copyOf(a.roles));
        }

        Drafts.Anonymous draft() {
            return new Drafts.Anonymous(enabled, roles);
        }
    }

    public record ExplainDto(boolean allowed, String reason, String rule, boolean superuser, List<RuleDto> rules) {
    }

    public record AuditDto(long id, String at, String actor, String action, String entity, String name,
            String detail) {
    }
}
