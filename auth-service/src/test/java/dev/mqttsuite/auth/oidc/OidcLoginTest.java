package dev.mqttsuite.auth.oidc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.mqttsuite.auth.v1.AuthServiceGrpc;
import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.auth.v1.AuthenticateRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import dev.mqttsuite.auth.v1.Identity;
import dev.mqttsuite.reason.ConnackReasonCode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens from an OIDC provider (WireMock's, signed with its JWKS): devices log in with them as the CONNECT password
 * and through MQTT 5 enhanced authentication; admins call the API with them, by role.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestProfile(OidcLoginTest.WithIdentityProvider.class)
class OidcLoginTest {

    /** The audience of the WireMock provider's access tokens ({@code quarkus.test.oidc.token.audience}). */
    static final String AUDIENCE = "https://server.example.com";

    public static class WithIdentityProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "auth.oidc.enabled", "true",
                    "auth.oidc.roles-claim", "groups",
                    "auth.oidc.groups-claim", "groups",
                    "quarkus.oidc.mqtt.auth-server-url", "${keycloak.url}/realms/quarkus",
                    "quarkus.oidc.mqtt.token.audience", AUDIENCE,
                    "quarkus.oidc.token.audience", AUDIENCE,
                    "quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus",
                    "quarkus.oidc.roles.role-claim-path", "groups");
        }
    }

    private ManagedChannel channel;
    private AuthServiceGrpc.AuthServiceBlockingStub auth;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port).usePlaintext().build();
        auth = AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void tokenAsConnectPassword_logsInWithTheTokensGroupsAndExpiry() {
        String token = OidcWiremockTestResource.getAccessToken("alice", Set.of("fleet-operators"));
        AuthenticateReply reply = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("alice-device")
                .setUsername("ignored").setPassword(ByteString.copyFromUtf8(token)).setRemoteAddress("127.0.0.1:1")
                .setProtocolVersion(4).build());
        assertThat(reply.getOutcome()).isEqualTo(AuthenticateReply.Outcome.ALLOWED);
        assertThat(reply.getIdentity().getKind()).isEqualTo("oidc");
        assertThat(reply.getIdentity().getUsername()).isEqualTo("oidc:alice");
        assertThat(reply.getIdentity().getTokenGroupsList()).contains("fleet-operators");
        assertThat(reply.getExpiresAtMillis()).isGreaterThan(System.currentTimeMillis());
    }

    @Test
    void tokenInEnhancedAuthentication_logsIn() {
        String token = OidcWiremockTestResource.getAccessToken("bob", Set.of("viewers"));
        AuthenticateReply reply = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("bob-app")
                .setAuthenticationMethod("OAUTH2-JWT").setAuthenticationData(ByteString.copyFromUtf8(token))
                .setRemoteAddress("127.0.0.1:1").setProtocolVersion(5).build());
        assertThat(reply.getOutcome()).isEqualTo(AuthenticateReply.Outcome.ALLOWED);
        assertThat(reply.getIdentity().getUsername()).isEqualTo("oidc:bob");
    }

    @Test
    void forgedToken_isRefused() {
        String token = OidcWiremockTestResource.getAccessToken("mallory", Set.of("admins"));
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        AuthenticateReply reply = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("m")
                .setPassword(ByteString.copyFromUtf8(forged)).setRemoteAddress("127.0.0.1:1").setProtocolVersion(4)
                .build());
        assertThat(reply.getOutcome()).isEqualTo(AuthenticateReply.Outcome.DENIED);
    }

    @Test
    void tokenForAnotherAudience_isRefusedWith0x87() {
        String token = OidcWiremockTestResource.generateJwtToken("eve", Set.of("fleet-operators"), "123456", "Bearer",
                Set.of("https://another-service.example.com"));
        AuthenticateReply reply = auth.authenticate(tokenLogin("eve-device", token));
        assertThat(reply.getOutcome()).as("a token issued for another application").isEqualTo(
                AuthenticateReply.Outcome.DENIED);
        assertThat(reply.getReasonCode()).isEqualTo(ConnackReasonCode.NOT_AUTHORIZED.reasonCode().unsignedCode());
    }

    @Test
    void adminApi_refusesBearerTokensForAnotherAudience() {
        String admin = OidcWiremockTestResource.generateJwtToken("adam", Set.of("mqtt-admin"), "123456", "Bearer",
                Set.of("https://another-service.example.com"));
        given().auth().oauth2(admin).when().get("/api/v1/roles").then().statusCode(401);
    }

    @Test
    void tokenUser_livesInItsOwnNamespace_neverTheLocalAccountOfTheSameName() {
        adminBasic().body("{\"name\":\"carol-device-role\",\"priority\":1,\"rules\":[{\"effect\":\"ALLOW\","
                + "\"action\":\"PUBLISH\",\"pattern\":\"carol/#\"}]}").when().post("/api/v1/roles").then()
                .statusCode(201);
        adminBasic().body("{\"username\":\"carol\",\"password\":\"carol-device-password\",\"superuser\":true,"
                + "\"roles\":[\"carol-device-role\"]}").when().post("/api/v1/users").then().statusCode(201);

        AuthenticateReply token = auth.authenticate(tokenLogin("carol-app",
                OidcWiremockTestResource.getAccessToken("carol", Set.of())));
        assertThat(token.getOutcome()).isEqualTo(AuthenticateReply.Outcome.ALLOWED);
        Identity identity = token.getIdentity();
        assertThat(identity.getUsername()).isEqualTo("oidc:carol");
        assertThat(identity.getPrincipal()).as("session ownership differs from the local carol's")
                .isEqualTo("oidc:carol");
        assertThat(token.getSuperuser()).as("the local carol's superuser flag").isFalse();
        assertThat(token.getRulesList()).as("the local carol's rules").isEmpty();

        AuthenticateReply local = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("carol-device")
                .setUsername("carol").setPassword(ByteString.copyFromUtf8("carol-device-password"))
                .setRemoteAddress("127.0.0.1:1").setProtocolVersion(4).build());
        assertThat(local.getIdentity().getPrincipal()).isEqualTo("carol");
        assertThat(local.getSuperuser()).isTrue();
    }

    @Test
    void nameInTheTokenNamespace_cannotGetAPassword_norLogInWithOne() {
        adminBasic().body("{\"username\":\"oidc:dave\",\"password\":\"dave-password-1\"}").when()
                .post("/api/v1/users").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("password"));
        adminBasic().body("{\"username\":\"oidc:dave\",\"superuser\":true}").when().post("/api/v1/users").then()
                .statusCode(201);
        AuthenticateReply reply = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("d")
                .setUsername("oidc:dave").setPassword(ByteString.copyFromUtf8("anything-at-all"))
                .setRemoteAddress("127.0.0.2:1").setProtocolVersion(4).build());
        assertThat(reply.getOutcome()).isEqualTo(AuthenticateReply.Outcome.DENIED);
        AuthenticateReply certificate = auth.authenticate(AuthenticateRequest.newBuilder().setClientId("d")
                .addCertificateIdentities("oidc:dave").setRemoteAddress("127.0.0.2:1").setProtocolVersion(4).build());
        assertThat(certificate.getOutcome()).isEqualTo(AuthenticateReply.Outcome.DENIED);
        AuthenticateReply token = auth.authenticate(tokenLogin("dave-app",
                OidcWiremockTestResource.getAccessToken("dave", Set.of())));
        assertThat(token.getSuperuser()).as("an admin's explicit grant to the token user oidc:dave").isTrue();
    }

    @Test
    void viewer_readsUsersAndAudit_butNeverAPasswordHash() {
        adminBasic().body("{\"username\":\"erin-device\",\"password\":\"erin-device-password\"}").when()
                .post("/api/v1/users").then().statusCode(201);
        String viewer = OidcWiremockTestResource.getAccessToken("vera", Set.of("mqtt-viewer"));
        for (String path : new String[] {"/api/v1/users", "/api/v1/users/erin-device", "/api/v1/audit?entity=user"}) {
            given().auth().oauth2(viewer).when().get(path).then().statusCode(200)
                    .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("pbkdf2")))
                    .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("erin-device-password")));
        }
        given().auth().oauth2(viewer).when().get("/api/v1/users/erin-device").then()
                .body("hasPassword", org.hamcrest.Matchers.equalTo(true));
    }

    private static io.restassured.specification.RequestSpecification adminBasic() {
        return given().auth().preemptive().basic("admin", "test-admin-password").contentType(ContentType.JSON);
    }

    private static AuthenticateRequest tokenLogin(String clientId, String token) {
        return AuthenticateRequest.newBuilder().setClientId(clientId).setPassword(ByteString.copyFromUtf8(token))
                .setRemoteAddress("127.0.0.1:1").setProtocolVersion(4).build();
    }

    @Test
    void adminApi_acceptsBearerTokens_byRole() {
        String viewer = OidcWiremockTestResource.getAccessToken("vera", Set.of("mqtt-viewer"));
        String admin = OidcWiremockTestResource.getAccessToken("adam", Set.of("mqtt-admin"));
        given().auth().oauth2(viewer).when().get("/api/v1/roles").then().statusCode(200);
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body("{\"name\":\"by-viewer\",\"priority\":1}")
                .when().post("/api/v1/roles").then().statusCode(403);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\":\"by-admin\",\"priority\":1}")
                .when().post("/api/v1/roles").then().statusCode(201);
        given().auth().oauth2(admin).when().get("/api/v1/audit?entity=role&name=by-admin").then().statusCode(200)
                .body("[0].actor", org.hamcrest.Matchers.equalTo("adam"));
    }
}
