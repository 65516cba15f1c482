package dev.mqttsuite.auth.authorization;

import dev.mqttsuite.auth.model.AnonymousEntity;
import dev.mqttsuite.auth.model.GroupEntity;
import dev.mqttsuite.auth.model.RoleEntity;
import dev.mqttsuite.auth.model.RuleSpec;
import dev.mqttsuite.auth.model.UserEntity;
import dev.mqttsuite.auth.v1.Identity;
import dev.mqttsuite.auth.v1.Rule;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the rules that apply to an identity from the current model: the roles of the user, of its local groups,
 * of the groups and roles named in its token (when such groups/roles exist here), or of the anonymous principal.
 * Also lists the subjects a change event must mention to concern this identity.
 */
@ApplicationScoped
public class PermissionCompiler {

    /**
     * The rules (as sent to the brokers, which map them with {@code AclRule.fromNames}) and the subjects they were
     * derived from.
     */
    public record Compiled(List<Rule> rules, Set<String> subjects) {
    }

    public Compiled compile(Identity identity, UserEntity user, boolean anonymous) {
        Set<String> roleNames = new LinkedHashSet<>();
        Set<String> subjects = new LinkedHashSet<>();
        if (anonymous) {
            subjects.add("anonymous");
            AnonymousEntity settings = AnonymousEntity.get();
            roleNames.addAll(settings.roles);
        } else {
            subjects.add("user:" + identity.getUsername());
            Set<String> groups = new LinkedHashSet<>(identity.getTokenGroupsList());
            if (user != null) {
                roleNames.addAll(user.roles);
                groups.addAll(user.groups);
            }
            for (String groupName : groups) {
                subjects.add("group:" + groupName);
                GroupEntity group = GroupEntity.findById(groupName);
                if (group != null) {
                    roleNames.addAll(group.roles);
                }
            }
            roleNames.addAll(identity.getTokenRolesList());
        }
        List<Rule> rules = new ArrayList<>();
        for (String roleName : roleNames) {
            subjects.add("role:" + roleName);
            RoleEntity role = RoleEntity.findById(roleName);
            if (role == null) {
                continue; // a token role with no local definition grants nothing
            }
            for (RuleSpec spec : role.rules) {
                Rule.Builder rule = Rule.newBuilder()
                        .setEffect(spec.effect == RuleSpec.Effect.ALLOW ? Rule.Effect.ALLOW : Rule.Effect.DENY)
                        .setAction(Rule.Action.valueOf(spec.action.name())).setPattern(spec.pattern)
                        .setPriority(role.priority);
                if (spec.maxQos != null) {
                    rule.setMaxQos(spec.maxQos);
                }
                if (spec.allowRetain != null) {
                    rule.setAllowRetain(spec.allowRetain);
                }
                rules.add(rule.build());
            }
        }
        return new Compiled(rules, subjects);
    }
}
