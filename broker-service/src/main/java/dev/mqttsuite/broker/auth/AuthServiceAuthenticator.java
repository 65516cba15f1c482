package dev.mqttsuite.broker.auth;

import com.google.protobuf.ByteString;
import dev.mqttsuite.acl.AclRule;
import dev.mqttsuite.acl.AclRuleSet;
import dev.mqttsuite.acl.AclVariables;
import dev.mqttsuite.auth.v1.AuthServiceGrpc;
import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.auth.v1.AuthenticateRequest;
import dev.mqttsuite.auth.v1.Identity;
import dev.mqttsuite.auth.v1.ReauthorizeRequest;
import dev.mqttsuite.auth.v1.Rule;
import dev.mqttsuite.authcache.LoginDecisionCache;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.reason.ConnackReasonCode;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.grpc.GrpcClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The auth-service adapter ({@code broker.auth.backend=service}): asks the auth-service over gRPC, with a deadline
 * and bounded concurrency, and compiles the returned rules once into local {@link Permissions}. Fails closed: any
 * failure or timeout becomes CONNACK 0x88 Server unavailable.
 *
 * <p>Allowed user name + password answers are remembered for reconnect storms in the suite's shared
 * {@link LoginDecisionCache} ({@code broker.auth.cache-ttl}, {@code cache-size}), HMAC-keyed, never the password. It
 * answers only while the auth-service's change stream is live ({@link AuthChangeWatcher} switches it and clears it on
 * every change event), so a revocation is never answered from it; without the stream every login asks the
 * auth-service. Permissions are still compiled per connection (client id placeholders differ).
 */
@ApplicationScoped
@LookupIfProperty(name = "broker.auth.backend", stringValue = "service")
public class AuthServiceAuthenticator implements Authenticator {

    /** What the broker keeps per connection to re-evaluate it when the auth-service reports a change. */
    public record AuthContext(Identity identity, Set<String> subjects) {
    }

    @GrpcClient("auth")
    Channel channel;

    @Inject
    BrokerConfig config;

    private AuthServiceGrpc.AuthServiceStub stub;
    private Semaphore inFlight;
    private LoginDecisionCache<AuthenticateReply> cache;

    @PostConstruct
    void init() {
        stub = AuthServiceGrpc.newStub(channel);
        inFlight = new Semaphore(config.auth().maxConcurrent());
        cache = new LoginDecisionCache<>(config.auth().cacheTtl(), config.auth().cacheSize(),
                reply -> reply.getOutcome() == AuthenticateReply.Outcome.ALLOWED,
                AuthenticateReply::getExpiresAtMillis);
    }

    /** The decisions remembered for reconnect storms; the change watcher keeps it honest. */
    LoginDecisionCache<AuthenticateReply> cache() {
        return cache;
    }

    AuthServiceGrpc.AuthServiceStub stub() {
        return stub;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        String cacheKey = request.authenticationMethod() == null && !request.reauthentication()
                ? cache.keyOf(request.username(), request.password()) : null;
        long now = System.currentTimeMillis();
        AuthenticateReply remembered = cache.get(cacheKey, now);
        if (remembered != null) {
            Identity identity = remembered.getIdentity().toBuilder().setClientId(request.clientId()).build();
            return CompletableFuture.completedFuture(toResult(remembered.toBuilder().setIdentity(identity).build()));
        }
        long generation = cache.generation();
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.completedFuture(new AuthResult.Denied(ConnackReasonCode.SERVER_BUSY,
                    "too many authentications in flight (broker.auth.max-concurrent)"));
        }
        AuthenticateRequest.Builder b = AuthenticateRequest.newBuilder().setClientId(request.clientId())
                .setRemoteAddress(request.remoteAddress()).addAllCertificateIdentities(request.certificateIdentities())
                .setProtocolVersion(request.protocolVersion()).setReauthentication(request.reauthentication());
        if (request.username() != null) {
            b.setUsername(request.username());
        }
        if (request.password() != null) {
            b.setPassword(ByteString.copyFrom(request.password()));
        }
        if (request.authenticationMethod() != null) {
            b.setAuthenticationMethod(request.authenticationMethod());
        }
        if (request.authenticationData() != null) {
            b.setAuthenticationData(ByteString.copyFrom(request.authenticationData()));
        }
        CompletableFuture<AuthenticateReply> reply = call(observer -> stub
                .withDeadlineAfter(config.auth().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .authenticate(b.build(), observer));
        return reply.whenComplete((r, f) -> {
            inFlight.release();
            if (f != null) {
                reconnectSoon();
            } else if (cacheKey != null) {
                cache.put(cacheKey, r, generation, now);
            }
        }).thenApply(AuthServiceAuthenticator::toResult);
    }

    /**
     * After a failed call, lets the channel reconnect at the next call instead of waiting out gRPC's exponential
     * reconnect back-off (up to two minutes): the auth-service is usually back within seconds.
     */
    void reconnectSoon() {
        if (channel instanceof io.grpc.ManagedChannel managed) {
            managed.resetConnectBackoff();
        }
    }

    /** Asks for the current permissions of an identity (after a change event). */
    public CompletionStage<AuthResult> reauthorize(Identity identity) {
        return call((StreamObserver<AuthenticateReply> observer) -> stub
                .withDeadlineAfter(config.auth().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .reauthorize(ReauthorizeRequest.newBuilder().setIdentity(identity).build(), observer))
                .thenApply(AuthServiceAuthenticator::toResult);
    }

    private static CompletableFuture<AuthenticateReply> call(
            java.util.function.Consumer<StreamObserver<AuthenticateReply>> invocation) {
        CompletableFuture<AuthenticateReply> future = new CompletableFuture<>();
        invocation.accept(new StreamObserver<>() {
            @Override
            public void onNext(AuthenticateReply value) {
                future.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                future.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                // completed in onNext
            }
        });
        return future;
    }

    static AuthResult toResult(AuthenticateReply reply) {
        if (reply.getOutcome() != AuthenticateReply.Outcome.ALLOWED) {
            ConnackReasonCode code;
            try {
                code = ConnackReasonCode.fromByte(reply.getReasonCode());
            } catch (IllegalArgumentException e) {
                code = ConnackReasonCode.NOT_AUTHORIZED;
            }
            return new AuthResult.Denied(code, reply.getReason());
        }
        Identity identity = reply.getIdentity();
        Permissions permissions;
        if (reply.getSuperuser()) {
            permissions = Permissions.ALL;
        } else {
            List<AclRule> rules = new ArrayList<>(reply.getRulesCount());
            for (Rule r : reply.getRulesList()) {
                rules.add(AclRule.fromNames(r.getEffect().name(), r.getAction().name(), r.getPattern(),
                        r.getPriority(), r.hasMaxQos() ? r.getMaxQos() : null,
                        r.hasAllowRetain() ? r.getAllowRetain() : null));
            }
            Map<String, String> claims = new HashMap<>(identity.getClaimsMap());
            AclVariables variables = AclVariables.of(identity.getUsername().isEmpty() ? null : identity.getUsername(),
                    identity.getClientId(), claims);
            permissions = new AclPermissions(AclRuleSet.compile(rules, variables));
        }
        Instant expires = reply.getExpiresAtMillis() == 0 ? null : Instant.ofEpochMilli(reply.getExpiresAtMillis());
        return new AuthResult.Allowed(identity.getPrincipal(), permissions, expires, reply.getSuperuser(),
                new AuthContext(identity, Set.copyOf(reply.getSubjectsList())));
    }

    @Override
    public String describe() {
        return "auth-service (gRPC)";
    }
}
