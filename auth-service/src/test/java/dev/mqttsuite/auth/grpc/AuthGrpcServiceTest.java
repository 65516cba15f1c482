package dev.mqttsuite.auth.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.mqttsuite.auth.v1.AuthServiceGrpc;
import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.auth.v1.AuthenticateRequest;
import dev.mqttsuite.auth.v1.Change;
import dev.mqttsuite.auth.v1.ReauthorizeRequest;
import dev.mqttsuite.auth.v1.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthGrpcServiceTest {

    /** gRPC in plain text (the test profile) is served on the HTTP port. */
    @TestHTTPResource("/")
    URL internal;

    private ManagedChannel channel;
    private AuthServiceGrpc.AuthServiceBlockingStub auth;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", internal.getPort()).usePlaintext().build();
        auth = AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static void adminPost(String path, String json) {
        given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON).body(json)
                .when().post(path).then().statusCode(201);
    }

    private AuthenticateReply login(String user, String password) {
        return auth.authenticate(AuthenticateRequest.newBuilder().setClientId("c-" + user).setUsername(user)
                .setPassword(ByteString.copyFromUtf8(password)).setRemoteAddress("127.0.0.1:5000")
                .setProtocolVersion(5).build());
    }

    @Test
    void deviceCredentials_allowWithCompiledRules_orDenyWithBadCredentials() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        adminPost("/api/v1/roles", """
                {"name":"dev-%s","priority":3,"rules":[{"effect":"ALLOW","action":"PUBLISH","pattern":"d/%%u/#"}]}"""
                .formatted(suffix));
        adminPost("/api/v1/users", "{\"username\":\"u-%s\",\"password\":\"secret-pass\",\"roles\":[\"dev-%s\"]}"
                .formatted(suffix, suffix));
        AuthenticateReply ok = login("u-" + suffix, "secret-pass");
        assertThat(ok.getOutcome()).isEqualTo(AuthenticateReply.Outcome.ALLOWED);
        assertThat(ok.getIdentity().getKind()).isEqualTo("password");
        assertThat(ok.getRulesList()).extracting(r -> r.getPattern()).containsExactly("d/%u/#");
        assertThat(ok.getRules(0).getPriority()).isEqualTo(3);

        AuthenticateReply bad = login("u-" + suffix, "wrong-pass");
        assertThat(bad.getOutcome()).isEqualTo(AuthenticateReply.Outcome.DENIED);
        assertThat(bad.getReasonCode()).isEqualTo(0x86);
        assertThat(login("nobody-" + suffix, "x").getReasonCode()).isEqualTo(0x86);
    }

    @Test
    void rememberedLogins_followAdminChangesAtOnce_andNeverOutliveTheSecret() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String user = "cached-" + suffix;
        adminPost("/api/v1/roles", """
                {"name":"c-%s","priority":1,"rules":[{"effect":"ALLOW","action":"PUBLISH","pattern":"a/#"}]}"""
                .formatted(suffix));
        adminPost("/api/v1/users", "{\"username\":\"%s\",\"password\":\"secret-pw-1\",\"roles\":[\"c-%s\"]}"
                .formatted(user, suffix));
        assertThat(login(user, "secret-pw-1").getRulesList()).extracting(r -> r.getPattern()).containsExactly("a/#");
        // a second login with the same secret, from another client id, is answered for that client id
        AuthenticateReply again = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("other-client")
                .setUsername(user).setPassword(ByteString.copyFromUtf8("secret-pw-1")).setRemoteAddress("127.0.0.1:5001")
                .setProtocolVersion(5).build());
        assertThat(again.getIdentity().getClientId()).isEqualTo("other-client");
        // a different secret is never taken from the cache
        assertThat(login(user, "secret-pw-2").getOutcome()).isEqualTo(AuthenticateReply.Outcome.DENIED);

        // an admin change is seen by the very next login: rules...
        String etag = given().auth().preemptive().basic("admin", "test-admin-password")
                .get("/api/v1/roles/c-" + suffix).then().statusCode(200).extract().header("ETag");
        given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON)
                .header("If-Match", etag).body("""
                {"name":"c-%s","priority":1,"rules":[{"effect":"ALLOW","action":"PUBLISH","pattern":"b/#"}]}"""
                .formatted(suffix)).when().put("/api/v1/roles/c-" + suffix).then().statusCode(200);
        assertThat(login(user, "secret-pw-1").getRulesList()).extracting(r -> r.getPattern()).containsExactly("b/#");
        // ...and disabling the user
        String userEtag = given().auth().preemptive().basic("admin", "test-admin-password")
                .get("/api/v1/users/" + user).then().statusCode(200).extract().header("ETag");
        given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON)
                .header("If-Match", userEtag)
                .body("{\"username\":\"%s\",\"disabled\":true,\"roles\":[\"c-%s\"]}".formatted(user, suffix))
                .when().put("/api/v1/users/" + user).then().statusCode(200);
        assertThat(login(user, "secret-pw-1").getOutcome()).isEqualTo(AuthenticateReply.Outcome.DENIED);
    }

    private AuthenticateReply loginFrom(String address, String user, String password) {
        return auth.authenticate(AuthenticateRequest.newBuilder().setClientId("c-" + user).setUsername(user)
                .setPassword(ByteString.copyFromUtf8(password)).setRemoteAddress(address + ":40000")
                .setProtocolVersion(5).build());
    }

    @Test
    void aWrongPasswordStormIsRefusedAtOnceWithoutChecking_andTheDeviceAtItsOwnAddressStillLogsIn() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String user = "storm-" + suffix;
        adminPost("/api/v1/users", "{\"username\":\"%s\",\"password\":\"right-pass\"}".formatted(user));
        String attacker = "198.51.100." + (Math.abs(suffix.hashCode()) % 200 + 1);
        int throttled = 0;
        for (int i = 0; i < 200; i++) { // every call answers within the 30 s deadline: nothing sleeps
            AuthenticateReply reply = loginFrom(attacker, user, "guess-" + i);
            assertThat(reply.getOutcome()).isEqualTo(AuthenticateReply.Outcome.DENIED);
            if (reply.getReasonCode() == 0x9F) {
                throttled++;
            } else {
                assertThat(reply.getReasonCode()).isEqualTo(0x86);
            }
        }
        assertThat(throttled).as("after the burst the address is refused with 0x9F").isGreaterThan(150);
        assertThat(loginFrom(attacker, user, "right-pass").getReasonCode())
                .as("refused without checking the secret, even the right one").isEqualTo(0x9F);
        assertThat(loginFrom("192.0.2.10", user, "right-pass").getOutcome())
                .as("the device at its own address is not locked out").isEqualTo(AuthenticateReply.Outcome.ALLOWED);
    }

    @Test
    void anonymous_isDeniedByDefault() {
        AuthenticateReply reply = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("anon")
                .setRemoteAddress("127.0.0.1:1").setProtocolVersion(4).build());
        assertThat(reply.getOutcome()).isEqualTo(AuthenticateReply.Outcome.DENIED);
        assertThat(reply.getReasonCode()).isEqualTo(0x87);
    }

    @Test
    void unknownEnhancedAuthMethod_isBadAuthenticationMethod() {
        AuthenticateReply reply = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("scram")
                .setAuthenticationMethod("SCRAM-SHA-256").setRemoteAddress("127.0.0.1:1").setProtocolVersion(5)
                .build());
        assertThat(reply.getReasonCode()).isEqualTo(0x8C);
    }

    @Test
    void watchChanges_startsWithResync_thenReportsChangedSubjects() {
        List<Change> seen = new CopyOnWriteArrayList<>();
        AuthServiceGrpc.newStub(channel).watchChanges(WatchRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(Change value) {
                seen.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
        assertThat(seen.get(0).getKind()).isEqualTo(Change.Kind.RESYNC);
        String role = "watched-" + UUID.randomUUID().toString().substring(0, 8);
        adminPost("/api/v1/roles", "{\"name\":\"%s\",\"priority\":1,\"rules\":[]}".formatted(role));
        Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> seen.stream()
                .anyMatch(c -> c.getSubjectsList().contains("role:" + role)));
    }

    @Test
    void reauthorize_deniesADisabledUser() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        adminPost("/api/v1/users", "{\"username\":\"r-%s\",\"password\":\"secret-pass\"}".formatted(suffix));
        AuthenticateReply ok = login("r-" + suffix, "secret-pass");
        assertThat(ok.getOutcome()).isEqualTo(AuthenticateReply.Outcome.ALLOWED);
        String etag = given().auth().preemptive().basic("admin", "test-admin-password").when()
                .get("/api/v1/users/r-" + suffix).then().extract().header("ETag");
        given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON)
                .header("If-Match", etag).body("{\"username\":\"r-%s\",\"disabled\":true}".formatted(suffix))
                .when().put("/api/v1/users/r-" + suffix).then().statusCode(200);
        AuthenticateReply again = auth.reauthorize(ReauthorizeRequest.newBuilder().setIdentity(ok.getIdentity())
                .build());
        assertThat(again.getOutcome()).isEqualTo(AuthenticateReply.Outcome.DENIED);
    }

    @Test
    void clientCertificateIdentity_isTheUserNameTheBrokerMapped_takenVerbatim() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        adminPost("/api/v1/users", "{\"username\":\"cert-%s\"}".formatted(suffix));
        AuthenticateReply reply = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("device")
                .addCertificateIdentities("cert-" + suffix).setRemoteAddress("127.0.0.1:1")
                .setProtocolVersion(5).build());
        assertThat(reply.getOutcome()).isEqualTo(AuthenticateReply.Outcome.ALLOWED);
        assertThat(reply.getIdentity().getKind()).isEqualTo("certificate");
        assertThat(reply.getIdentity().getUsername()).isEqualTo("cert-" + suffix);
        AuthenticateReply distinguishedName = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("device")
                .addCertificateIdentities("CN=cert-" + suffix + ",O=Example").setRemoteAddress("127.0.0.1:1")
                .setProtocolVersion(5).build());
        assertThat(distinguishedName.getOutcome()).as("no guessing: a whole subject is not parsed for a CN")
                .isEqualTo(AuthenticateReply.Outcome.DENIED);
    }

    @Test
    void anonymousPrincipal_whenEnabled_getsItsOwnRoles_andIsDeniedAgainWhenDisabled() {
        String role = "anon-" + UUID.randomUUID().toString().substring(0, 8);
        adminPost("/api/v1/roles", """
                {"name":"%s","priority":1,"rules":[{"effect":"ALLOW","action":"SUBSCRIBE","pattern":"public/#"}]}"""
                .formatted(role));
        String etag = given().auth().preemptive().basic("admin", "test-admin-password").when()
                .get("/api/v1/anonymous").then().extract().header("ETag");
        String newEtag = given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON)
                .header("If-Match", etag).body("{\"enabled\":true,\"roles\":[\"%s\"]}".formatted(role)).when()
                .put("/api/v1/anonymous").then().statusCode(200).extract().header("ETag");
        try {
            AuthenticateReply reply = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("anon-1")
                    .setRemoteAddress("127.0.0.1:1").setProtocolVersion(4).build());
            assertThat(reply.getOutcome()).isEqualTo(AuthenticateReply.Outcome.ALLOWED);
            assertThat(reply.getIdentity().getKind()).isEqualTo("anonymous");
            assertThat(reply.getRulesList()).extracting(r -> r.getPattern()).containsExactly("public/#");
        } finally {
            given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON)
                    .header("If-Match", newEtag).body("{\"enabled\":false,\"roles\":[]}").when()
                    .put("/api/v1/anonymous").then().statusCode(200);
        }
        assertThat(auth.authenticate(AuthenticateRequest.newBuilder().setClientId("anon-2")
                .setRemoteAddress("127.0.0.1:1").setProtocolVersion(4).build()).getOutcome())
                .isEqualTo(AuthenticateReply.Outcome.DENIED);
    }
}
