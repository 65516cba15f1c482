package dev.mqttsuite.auth.admin;

import dev.mqttsuite.acl.AclPattern;
import dev.mqttsuite.auth.credentials.PasswordHasher;
import dev.mqttsuite.auth.model.AnonymousEntity;
import dev.mqttsuite.auth.model.AuditEntry;
import dev.mqttsuite.auth.model.GroupEntity;
import dev.mqttsuite.auth.model.RoleEntity;
import dev.mqttsuite.auth.model.RuleSpec;
import dev.mqttsuite.auth.model.UserEntity;
import dev.mqttsuite.topic.InvalidTopicException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Changes to the ACL model: validation (problem responses naming the field), optimistic concurrency, and an audit
 * entry in the same transaction. Returns the subjects whose sessions must be re-evaluated; the resource publishes
 * them after the commit.
 */
@ApplicationScoped
public class ModelService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:+-]{0,254}");

    @Inject
    PasswordHasher hasher;

    static void validName(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw Problem.invalid(field, field + " must be 1-255 characters of letters, digits and ._@:+- starting"
                    + " with a letter or digit");
        }
    }

    private static List<RuleSpec> validRules(List<Dtos.RuleDto> rules) {
        List<RuleSpec> out = new ArrayList<>();
        if (rules == null) {
            return out;
        }
        for (int i = 0; i < rules.size(); i++) {
            Dtos.RuleDto r = rules.get(i);
            String field = "rules[" + i + "]";
            if (r.effect() == null) {
                throw Problem.invalid(field + ".effect", "effect is ALLOW or DENY");
            }
            if (r.action() == null) {
                throw Problem.invalid(field + ".action", "action is PUBLISH, SUBSCRIBE or RECEIVE");
            }
            try {
                AclPattern.compile(r.pattern());
            } catch (InvalidTopicException e) {
                throw Problem.invalid(field + ".pattern", e.getMessage());
            }
            if (r.maxQos() != null && (r.maxQos() < 0 || r.maxQos() > 2)) {
                throw Problem.invalid(field + ".maxQos", "maxQos is 0, 1 or 2");
            }
            out.add(new RuleSpec(r.effect(), r.action(), r.pattern(), r.maxQos(), r.allowRetain()));
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

    // ---- roles -----------------------------------------------------------------------------------------------

    @Transactional
    public RoleEntity createRole(String actor, Dtos.RoleDto dto) {
        validName("name", dto.name());
        if (RoleEntity.findById(dto.name()) != null) {
            throw Problem.conflict("role " + dto.name() + " exists");
        }
        RoleEntity role = new RoleEntity();
        role.name = dto.name();
        applyRole(role, dto);
        role.persist();
        AuditEntry.record(actor, "create", "role", role.name, describe(dto));
        return role;
    }

    @Transactional
    public RoleEntity updateRole(String actor, String name, String ifMatch, Dtos.RoleDto dto) {
        RoleEntity role = RoleEntity.findById(name);
        if (role == null) {
            throw Problem.notFound("role " + name);
        }
        Etags.require(ifMatch, role.version);
        applyRole(role, dto);
        AuditEntry.record(actor, "update", "role", name, describe(dto));
        return role;
    }

    private static void applyRole(RoleEntity role, Dtos.RoleDto dto) {
        role.priority = dto.priority() == null ? 0 : dto.priority();
        role.description = dto.description();
        role.rules.clear();
        role.rules.addAll(validRules(dto.rules()));
    }

    @Transactional
    public void deleteRole(String actor, String name, String ifMatch) {
        RoleEntity role = RoleEntity.findById(name);
        if (role == null) {
            throw Problem.notFound("role " + name);
        }
        Etags.require(ifMatch, role.version);
        role.delete();
        AuditEntry.record(actor, "delete", "role", name, null);
    }

    // ---- groups ----------------------------------------------------------------------------------------------

    @Transactional
    public GroupEntity createGroup(String actor, Dtos.GroupDto dto) {
        validName("name", dto.name());
        if (GroupEntity.findById(dto.name()) != null) {
            throw Problem.conflict("group " + dto.name() + " exists");
        }
        GroupEntity group = new GroupEntity();
        group.name = dto.name();
        group.description = dto.description();
        group.roles.addAll(names("roles", dto.roles()));
        group.persist();
        AuditEntry.record(actor, "create", "group", group.name, "roles=" + group.roles);
        return group;
    }

    @Transactional
    public GroupEntity updateGroup(String actor, String name, String ifMatch, Dtos.GroupDto dto) {
        GroupEntity group = GroupEntity.findById(name);
        if (group == null) {
            throw Problem.notFound("group " + name);
        }
        Etags.require(ifMatch, group.version);
        group.description = dto.description();
        group.roles.clear();
        group.roles.addAll(names("roles", dto.roles()));
        AuditEntry.record(actor, "update", "group", name, "roles=" + group.roles);
        return group;
    }

    @Transactional
    public void deleteGroup(String actor, String name, String ifMatch) {
        GroupEntity group = GroupEntity.findById(name);
        if (group == null) {
            throw Problem.notFound("group " + name);
        }
        Etags.require(ifMatch, group.version);
        group.delete();
        AuditEntry.record(actor, "delete", "group", name, null);
    }

    // ---- users -----------------------------------------------------------------------------------------------

    @Transactional
    public UserEntity createUser(String actor, Dtos.UserDto dto) {
        validName("username", dto.username());
        if (UserEntity.findById(dto.username()) != null) {
            throw Problem.conflict("user " + dto.username() + " exists");
        }
        UserEntity user = new UserEntity();
        user.username = dto.username();
        applyUser(user, dto);
        user.persist();
        AuditEntry.record(actor, "create", "user", user.username, describe(user));
        return user;
    }

    @Transactional
    public UserEntity updateUser(String actor, String name, String ifMatch, Dtos.UserDto dto) {
        UserEntity user = UserEntity.findById(name);
        if (user == null) {
            throw Problem.notFound("user " + name);
        }
        Etags.require(ifMatch, user.version);
        applyUser(user, dto);
        AuditEntry.record(actor, "update", "user", name, describe(user)
                + (dto.password() != null ? " password changed" : ""));
        return user;
    }

    private void applyUser(UserEntity user, Dtos.UserDto dto) {
        if (dto.password() != null) {
            if (dto.password().length() < 8) {
                throw Problem.invalid("password", "a device password needs at least 8 characters");
            }
            user.passwordHash = hasher.hash(dto.password().toCharArray());
        }
        user.disabled = Boolean.TRUE.equals(dto.disabled());
        user.superuser = Boolean.TRUE.equals(dto.superuser());
        user.groups.clear();
        user.groups.addAll(names("groups", dto.groups()));
        user.roles.clear();
        user.roles.addAll(names("roles", dto.roles()));
    }

    @Transactional
    public void deleteUser(String actor, String name, String ifMatch) {
        UserEntity user = UserEntity.findById(name);
        if (user == null) {
            throw Problem.notFound("user " + name);
        }
        Etags.require(ifMatch, user.version);
        user.delete();
        AuditEntry.record(actor, "delete", "user", name, null);
    }

    // ---- anonymous -------------------------------------------------------------------------------------------

    @Transactional
    public AnonymousEntity updateAnonymous(String actor, String ifMatch, Dtos.AnonymousDto dto) {
        AnonymousEntity anonymous = AnonymousEntity.get();
        Etags.require(ifMatch, anonymous.version);
        anonymous.enabled = Boolean.TRUE.equals(dto.enabled());
        anonymous.roles.clear();
        anonymous.roles.addAll(names("roles", dto.roles()));
        AuditEntry.record(actor, "update", "anonymous", "anonymous", "enabled=" + anonymous.enabled + " roles="
                + anonymous.roles);
        return anonymous;
    }

    private static String describe(Dtos.RoleDto dto) {
        return "priority=" + dto.priority() + " rules=" + (dto.rules() == null ? 0 : dto.rules().size());
    }

    private static String describe(UserEntity u) {
        return "disabled=" + u.disabled + " superuser=" + u.superuser + " groups=" + u.groups + " roles=" + u.roles;
    }
}
