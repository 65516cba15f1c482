package dev.mqttsuite.it.console;

import dev.mqttsuite.it.support.KeycloakProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets up, through Keycloak's admin REST API (the bootstrap admin of {@link KeycloakProcess}), what the console's
 * SSO test needs in the test realm: the console's confidential client for the authorization-code flow, whose access
 * tokens carry the admin APIs' audience, and operators with a realm role. Keycloak keeps its database between runs,
 * so users that exist already are reused and their password and role are set again.
 */
final class KeycloakAdmin {

    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newHttpClient();
    private final String server;
    private final String admin;

    KeycloakAdmin(KeycloakProcess keycloak) {
        String realmUrl = keycloak.realmUrl();
        this.server = realmUrl.substring(0, realmUrl.indexOf("/realms/"));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(server
                + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli"
                        + "&username=kcadmin&password=kcadmin-test-password")));
        Matcher m = TOKEN.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("keycloak admin token: " + r.statusCode() + " " + r.body());
        }
        this.admin = "Bearer " + m.group(1);
    }

    /** A confidential client for the code flow at {@code consoleBase}; its access tokens get {@code audience}. */
    void createConsoleClient(String clientId, String secret, String consoleBase, String audience) {
        call("POST", "/clients", """
                {"clientId":"%s","enabled":true,"publicClient":false,"secret":"%s",
                 "standardFlowEnabled":true,"directAccessGrantsEnabled":false,"implicitFlowEnabled":false,
                 "redirectUris":["%s/*"],"webOrigins":["%s"],
                 "attributes":{"post.logout.redirect.uris":"%s/*"},
                 "protocolMappers":[{"name":"admin-api-audience","protocol":"openid-connect",
                   "protocolMapper":"oidc-audience-mapper","config":{"included.custom.audience":"%s",
                   "access.token.claim":"true","id.token.claim":"false","introspection.token.claim":"true"}}]}"""
                .formatted(clientId, secret, consoleBase, consoleBase, consoleBase, audience), 201);
    }

    /** A user with a complete profile (no "update your account" step at first login) and one realm role. */
    void createUser(String username, String password, String realmRole) {
        HttpResponse<String> created = call("POST", "/users", """
                {"username":"%s","enabled":true,"email":"%s@example.com","emailVerified":true,
                 "firstName":"Console","lastName":"Operator"}""".formatted(username, username), 0);
        if (created.statusCode() != 201 && created.statusCode() != 409) {
            throw new IllegalStateException("create user " + username + ": " + created.statusCode() + " "
                    + created.body());
        }
        Matcher id = ID.matcher(call("GET", "/users?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8), null, 200).body());
        if (!id.find()) {
            throw new IllegalStateException("user " + username + " not found after creating it");
        }
        String user = "/users/" + id.group(1);
        call("PUT", user + "/reset-password", """
                {"type":"password","value":"%s","temporary":false}""".formatted(password), 204);
        String role = call("GET", "/roles/" + realmRole, null, 200).body();
        call("POST", user + "/role-mappings/realm", "[" + role + "]", 204);
    }

    private HttpResponse<String> call(String method, String path, String json, int expected) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(server + "/admin/realms/iot" + path))
                .header("Authorization", admin).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)));
        if (expected != 0 && r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("keycloak admin call failed", e);
        }
    }
}
