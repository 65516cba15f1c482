package dev.mqttsuite.broker.support;

import dev.mqttsuite.broker.auth.AuthRequest;
import dev.mqttsuite.broker.auth.AuthResult;
import dev.mqttsuite.broker.auth.Authenticator;
import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.reason.ConnackReasonCode;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test authentication backend (enabled per test profile): records every request; user "alice" with password
 * "secret" may publish and subscribe under {@code alice/#} only, user "down" simulates an unreachable backend,
 * everyone else is refused.
 */
@Alternative
@ApplicationScoped
public class RecordingAuthenticator implements Authenticator {

    private final java.util.concurrent.ConcurrentLinkedQueue<CompletableFuture<AuthResult>> hanging =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final List<AuthRequest> requests = new CopyOnWriteArrayList<>();

    /** The requests seen so far (a method, not a field: the test injects a client proxy). */
    /** Answers every login of user "hang" that is still waiting (denied). */
    public void releaseHanging() {
        CompletableFuture<AuthResult> next;
        while ((next = hanging.poll()) != null) {
            next.complete(new AuthResult.Denied(ConnackReasonCode.NOT_AUTHORIZED, "released"));
        }
    }

    public List<AuthRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        requests.add(request);
        if (!request.certificateIdentities().isEmpty()) {
            return CompletableFuture.completedFuture(new AuthResult.Allowed(request.certificateIdentities().get(0),
                    Permissions.ALL, null, false));
        }
        if ("TEST-TOKEN".equals(request.authenticationMethod())) {
            // the "token" is the number of seconds it stays valid
            long seconds = Long.parseLong(new String(request.authenticationData()));
            return CompletableFuture.completedFuture(new AuthResult.Allowed("token-user", Permissions.ALL,
                    java.time.Instant.now().plusSeconds(seconds), false));
        }
        if ("short".equals(request.username())) {
            return CompletableFuture.completedFuture(new AuthResult.Allowed("short", Permissions.ALL,
                    java.time.Instant.now().plusMillis(1000), false));
        }
        if ("hang".equals(request.username())) {
            CompletableFuture<AuthResult> never = new CompletableFuture<>();
            hanging.add(never);
            return never;
        }
        if ("bob".equals(request.username())) {
            return CompletableFuture.completedFuture(new AuthResult.Allowed("bob", Permissions.ALL, null, false));
        }
        if ("down".equals(request.username())) {
            return CompletableFuture.failedFuture(new java.io.IOException("backend unreachable"));
        }
        if ("alice".equals(request.username()) && request.password() != null
                && "secret".equals(new String(request.password()))) {
            TopicFilter own = TopicFilter.of("alice/#");
            return CompletableFuture.completedFuture(new AuthResult.Allowed("alice", new Permissions() {
                @Override
                public boolean mayPublish(TopicName topic, int qos, boolean retain) {
                    return own.matches(topic);
                }

                @Override
                public boolean maySubscribe(TopicFilter filter, int qos) {
                    return own.covers(filter);
                }

                @Override
                public boolean mayReceive(TopicName topic) {
                    return own.matches(topic);
                }
            }, null, false));
        }
        return CompletableFuture.completedFuture(new AuthResult.Denied(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                "unknown user"));
    }

    @Override
    public String describe() {
        return "recording test authenticator";
    }
}
