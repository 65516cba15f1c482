package dev.mqttsuite.auth.model;

import dev.mqttsuite.acl.AclPattern;
import dev.mqttsuite.auth.config.AuthConfig;
import dev.mqttsuite.auth.credentials.PasswordHasher;
import dev.mqttsuite.topic.InvalidTopicException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * Changes to the ACL model (roles, groups, users, the anonymous principal): validation ({@link ModelException} naming
 * the field), optimistic concurrency ({@link ExpectedVersion}) and an audit entry in the same transaction. The caller
 * announces the change to the brokers after the commit. Knows nothing of HTTP: the admin API maps its JSON to
 * {@link Drafts} and {@link ModelException}s to problem responses.
 */
@ApplicationScoped
public class ModelService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:+-]{0,254}");

    @Inject
    PasswordHasher hasher;

    @Inject
    AuthConfig config;

    private static void validName(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ModelException.invalid(field, field + " must be 1-255 characters of letters, digits and ._@:+-"
                    + " starting with a letter or digit");
        }
    }

    private static List<RuleSpec> validRules(List<RuleSpec> rules) {
        List<RuleSpec> out = new ArrayList<>();
        if (rules == null) {
            return out;
        }
        for (int i = 0; i < rules.size(); i++) {
            RuleSpec r = rules.get(i);
            String field = "rules[" + i + "]";
            if (r == null || r.effect == null) {
                throw ModelException.invalid(field + ".effect", "effect is ALLOW or DENY");
            }
            if (r.action == null) {
                throw ModelException.invalid(field + ".action", "action is PUBLISH, SUBSCRIBE or RECEIVE");
            }
            try {
                AclPattern.compile(r.pattern);
            } catch (InvalidTopicException e) {
                throw ModelException.invalid(field + ".pattern", e.getMessage());
            }
            if (r.maxQos != null && (r.maxQos < 0 || r.maxQos > 2)) {
                throw ModelException.invalid(field + ".maxQos", "maxQos is 0, 1 or 2");
            }
            out.add(new RuleSpec(r.effect, r.action, r.pattern, r.maxQos, r.allowRetain));
        }
        return out;
    }

    private static Set<String> names(String field, List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                validName(field + "[" + i + "]", values.get(i));
                out.add(values.get(i));
            }
        }
        return out;
    }

    /** Checks that a new entity's name is valid and not taken. */
    private static void requireNew(String field, String kind, String name, Function<String, Object> find) {
        validName(field, name);
        if (find.apply(name) != null) {
            throw ModelException.alreadyExists(kind + " " + name);
        }
    }

    /**
     * The entity a change or delete is about, checked to be at the version the change expects. ({@code find} calls
     * the entity's own {@code findById} in a lambda: Panache enhances those calls, not method references.)
     */
    private static <E> E existing(String kind, String name, ExpectedVersion expected, Function<String, E> find,
            ToLongFunction<E> version) {
        E entity = find.apply(name);
        if (entity == null) {
            throw ModelException.notFound(kind + " " + name);
        }
        expected.check(version.applyAsLong(entity));
        return entity;
    }

    // ---- roles -----------------------------------------------------------------------------------------------

    @Transactional
    public RoleEntity createRole(String actor, Drafts.Role draft) {
        requireNew("name", "role", draft.name(), n -> RoleEntity.findById(n));
        RoleEntity role = new RoleEntity();
        role.name = draft.name();
        applyRole(role, draft);
        role.persist();
        AuditEntry.record(actor, "create", "role", role.name, describe(draft));
        return role;
    }

    @Transactional
    public RoleEntity updateRole(String actor, String name, ExpectedVersion expected, Drafts.Role draft) {
        RoleEntity role = existing("role", name, expected, n -> RoleEntity.findById(n), e -> e.version);
        applyRole(role, draft);
        AuditEntry.record(actor, "update", "role", name, describe(draft));
        return role;
    }

    private static void applyRole(RoleEntity role, Drafts.Role draft) {
        role.priority = draft.priority() == null ? 0 : draft.priority();
        role.description = draft.description();
        role.rules.clear();
        role.rules.addAll(validRules(draft.rules()));
    }

    @Transactional
    public void deleteRole(String actor, String name, ExpectedVersion expected) {
        RoleEntity role = existing("role", name, expected, n -> RoleEntity.findById(n), e -> e.version);
        role.delete();
        AuditEntry.record(actor, "delete", "role", name, null);
    }

    // ---- groups ----------------------------------------------------------------------------------------------

    @Transactional
    public GroupEntity createGroup(String actor, Drafts.Group draft) {
        requireNew("name", "group", draft.name(), n -> GroupEntity.findById(n));
        GroupEntity group = new GroupEntity();
        group.name = draft.name();
        group.description = draft.description();
        group.roles.addAll(names("roles", draft.roles()));
        group.persist();
        AuditEntry.record(actor, "create", "group", group.name, "roles=" + group.roles);
        return group;
    }

    @Transactional
    public GroupEntity updateGroup(String actor, String name, ExpectedVersion expected, Drafts.Group draft) {
        GroupEntity group = existing("group", name, expected, n -> GroupEntity.findById(n), e -> e.version);
        group.description = draft.description();
        group.roles.clear();
        group.roles.addAll(names("roles", draft.roles()));
        AuditEntry.record(actor, "update", "group", name, "roles=" + group.roles);
        return group;
    }

    @Transactional
    public void deleteGroup(String actor, String name, ExpectedVersion expected) {
        GroupEntity group = existing("group", name, expected, n -> GroupEntity.findById(n), e -> e.version);
        group.delete();
        AuditEntry.record(actor, "delete", "group", name, null);
    }

    // ---- users -----------------------------------------------------------------------------------------------

    @Transactional
    public UserEntity createUser(String actor, Drafts.User draft) {
        requireNew("username", "user", draft.username(), n -> UserEntity.findById(n));
        UserEntity user = new UserEntity();
        user.username = draft.username();
        applyUser(user, draft);
        user.persist();
        AuditEntry.record(actor, "create", "user", user.username, describe(user));
        return user;
    }

    @Transactional
    public UserEntity updateUser(String actor, String name, ExpectedVersion expected, Drafts.User draft) {
        UserEntity user = existing("user", name, expected, n -> UserEntity.findById(n), e -> e.version);
        applyUser(user, draft);
        AuditEntry.record(actor, "update", "user", name, describe(user)
                + (draft.password() != null ? " password changed" : ""));
        return user;
    }

    private void applyUser(UserEntity user, Drafts.User draft) {
        String tokenPrefix = config.oidc().userPrefix();
        if (draft.password() != null && !tokenPrefix.isEmpty() && user.username.startsWith(tokenPrefix)) {
            throw ModelException.invalid("password", "users named " + tokenPrefix + "... are token users (OIDC): they"
                    + " log in with tokens only, never with a password");
        }
        if (draft.password() != null) {
            if (draft.password().length() < 8) {
                throw ModelException.invalid("password", "a device password needs at least 8 characters");
            }
            user.passwordHash = hasher.hash(draft.password().toCharArray());
        }
        user.disabled = Boolean.TRUE.equals(draft.disabled());
        user.superuser = Boolean.TRUE.equals(draft.superuser());
        user.groups.clear();
        user.groups.addAll(names("groups", draft.groups()));
        user.roles.clear();
        user.roles.addAll(names("roles", draft.roles()));
    }

    @Transactional
    public void deleteUser(String actor, String name, ExpectedVersion expected) {
        UserEntity user = existing("user", name, expected, n -> UserEntity.findById(n), e -> e.version);
        user.delete();
        AuditEntry.record(actor, "delete", "user", name, null);
    }

    // ---- anonymous -------------------------------------------------------------------------------------------

    @Transactional
    public AnonymousEntity updateAnonymous(String actor, ExpectedVersion expected, Drafts.Anonymous draft) {
        AnonymousEntity anonymous = AnonymousEntity.get();
        expected.check(anonymous.version);
        anonymous.enabled = Boolean.TRUE.equals(draft.enabled());
        anonymous.roles.clear();
        anonymous.roles.addAll(names("roles", draft.roles()));
        AuditEntry.record(actor, "update", "anonymous", "anonymous", "enabled=" + anonymous.enabled + " roles="
                + anonymous.roles);
        return anonymous;
    }

    private static String describe(Drafts.Role draft) {
        return "priority=" + draft.priority() + " rules=" + (draft.rules() == null ? 0 : draft.rules().size());
    }

    private static String describe(UserEntity u) {
        return "disabled=" + u.disabled + " superuser=" + u.superuser + " groups=" + u.groups + " roles=" + u.roles;
    }
}
