package dev.mqttsuite.broker.jmh;

import dev.mqttsuite.acl.AclRule;
import dev.mqttsuite.acl.AclRuleSet;
import dev.mqttsuite.acl.AclVariables;
import dev.mqttsuite.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The permission check the broker makes for every PUBLISH and every delivery: a compiled rule set of a device
 * (rules with %u / %c placeholders resolved at CONNECT, priorities, deny before allow), evaluated locally.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PermissionBenchmark {

    @Param({"5", "50"})
    int rules;

    private AclRuleSet compiled;
    private TopicName allowed;
    private TopicName denied;
    private TopicName lastRule;

    @Setup
    public void setUp() {
        List<AclRule> list = new ArrayList<>();
        list.add(AclRule.of(AclRule.Effect.DENY, AclRule.Action.PUBLISH, "fleet/%u/secret/#", 20));
        list.add(AclRule.of(AclRule.Effect.ALLOW, AclRule.Action.PUBLISH, "fleet/%u/#", 10));
        list.add(AclRule.of(AclRule.Effect.ALLOW, AclRule.Action.RECEIVE, "fleet/+/status", 10));
        for (int i = list.size(); i < rules; i++) {
            list.add(AclRule.of(AclRule.Effect.ALLOW, i % 2 == 0 ? AclRule.Action.PUBLISH : AclRule.Action.RECEIVE,
                    "site-" + i + "/+/%c/#", 1));
        }
        compiled = AclRuleSet.compile(list, AclVariables.of("truck-17", "truck-17-gps", Map.of()));
        allowed = TopicName.of("fleet/truck-17/gps/position");
        denied = TopicName.of("fleet/truck-17/secret/key");
        // the last PUBLISH rule (even indexes publish): every rule before it is tried first
        lastRule = TopicName.of("site-" + ((rules - 1) - (rules - 1) % 2) + "/x/truck-17-gps/data");
    }

    @Benchmark
    public boolean publishAllowed() {
        return compiled.checkPublish(allowed, 1, false).allowed();
    }

    @Benchmark
    public boolean publishDeniedByAHigherPriorityRule() {
        return compiled.checkPublish(denied, 1, false).allowed();
    }

    @Benchmark
    public boolean publishMatchingOnlyTheLastRule() {
        return compiled.checkPublish(lastRule, 1, false).allowed();
    }

    @Benchmark
    public boolean receiveNotAllowed() {
        return compiled.checkReceive(allowed).allowed();
    }
}
