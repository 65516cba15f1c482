package dev.mqttsuite.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.console.security.LoginCsrf;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Form login with the bootstrap admin, verified by the auth-service; sessions, CSRF, CSP, logout. */
@QuarkusTest
@QuarkusTestResource(FakeAdminApis.class)
class FormLoginTest {

    private static final Pattern CSRF = Pattern.compile("\"X-CSRF-Token\":\"([A-Za-z0-9_-]+)\"");

    @BeforeEach
    void clients() {
        FakeAdminApis.anonymousReads = false;
        FakeAdminApis.CONNECTED.clear();
        FakeAdminApis.CONNECTED.put("sensor-1", "alice");
        FakeAdminApis.CONNECTED.put("sensor-2", "bob");
    }

    /** The login page's pre-login token (cookie value = the form action's query parameter), as a browser gets it. */
    record LoginForm(String cookie, String action) {
        static LoginForm open() {
            Response page = given().get("/login");
            Matcher m = ACTION.matcher(page.asString());
            assertThat(m.find()).as("the form posts its pre-login token").isTrue();
            return new LoginForm(page.getCookie(LoginCsrf.COOKIE), m.group(1));
        }
    }

    private static final Pattern ACTION = Pattern.compile("action=\"(/j_security_check\\?login-token=[A-Za-z0-9_-]+)\"");

    static String login() {
        LoginForm form = LoginForm.open();
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie(LoginCsrf.COOKIE, form.cookie())
                .formParam("j_username", FakeAdminApis.USER).formParam("j_password", FakeAdminApis.PASSWORD)
                .post(form.action());
        assertThat(r.statusCode()).as("a good login redirects to the landing page").isEqualTo(302);
        String cookie = r.getCookie("quarkus-credential");
        assertThat(cookie).as("the session cookie").isNotBlank();
        return cookie;
    }

    static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        assertThat(m.find()).as("every page carries the CSRF token").isTrue();
        return m.group(1);
    }

    @Test
    void givenNoLogin_whenClientsPageRequested_thenRedirectedToTheLoginPage() {
        Response r = given().redirects().follow(false).get("/clients");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.header("Location")).endsWith("/login");
        String login = given().get("/login").then().statusCode(200).extract().asString();
        assertThat(login).contains("action=\"/j_security_check?login-token=").contains("name=\"j_username\"")
                .contains("name=\"j_password\"");
    }

    @Test
    void givenWrongPassword_whenLoggingIn_thenErrorPageAndNoSession() {
        LoginForm form = LoginForm.open();
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie(LoginCsrf.COOKIE, form.cookie())
                .formParam("j_username", "admin").formParam("j_password", "wrong").post(form.action());
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.header("Location")).contains("/login?error=true");
        assertThat(r.getCookie("quarkus-credential")).as("no session for a wrong password").isNull();
    }

    @Test
    void givenFormLogin_whenClientsPage_thenEachConnectedClientListedWithItsUser_credentialsForwardedServerSide() {
        String cookie = login();
        assertThat(cookie).as("the cookie never carries the password")
                .doesNotContain(FakeAdminApis.PASSWORD).doesNotContain("ZmFrZS1hZG1pbi1wYXNzd29yZA");
        FakeAdminApis.CALLS.clear();
        String page = given().cookie("quarkus-credential", cookie).get("/clients").then().statusCode(200)
                .extract().asString();
        assertThat(page).contains("data-client-id=\"sensor-1\"").contains("<td class=\"user\">alice</td>")
                .contains("data-client-id=\"sensor-2\"").contains("<td class=\"user\">bob</td>");
        assertThat(FakeAdminApis.CALLS).as("the broker API was called with the user's own Basic credentials")
                .anyMatch(c -> c.startsWith("GET /api/v1/clients?") && c.contains(" Basic "));
    }

    @Test
    void givenAnyPage_thenStrictContentSecurityPolicy_noInlineScriptOrStyle() {
        String cookie = login();
        Response r = given().cookie("quarkus-credential", cookie).get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        String csp = r.header("Content-Security-Policy");
        assertThat(csp).contains("default-src 'none'").contains("script-src 'self'").contains("style-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        String page = r.asString();
        assertThat(page).as("scripts only from files").doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                .doesNotContain(" style=").doesNotContain(" onclick=");
        assertThat(page).contains("id=\"total-connections\">2<");
    }

    @Test
    void givenNoCsrfToken_whenKick_thenRefused403_andTheBrokerIsNotCalled() {
        String cookie = login();
        FakeAdminApis.CALLS.clear();
        given().cookie("quarkus-credential", cookie).post("/clients/sensor-1/kick").then().statusCode(403);
        given().cookie("quarkus-credential", cookie).header("X-CSRF-Token", "forged").post("/clients/sensor-1/kick")
                .then().statusCode(403);
        assertThat(FakeAdminApis.CALLS).noneMatch(c -> c.startsWith("DELETE"));
        assertThat(FakeAdminApis.CONNECTED).containsKey("sensor-1");
    }

    @Test
    void givenCsrfToken_whenKick_thenTheOwningBrokerDisconnectsTheClient() {
        String cookie = login();
        String token = csrf(given().cookie("quarkus-credential", cookie).get("/clients/sensor-1").asString());
        Response r = given().cookie("quarkus-credential", cookie).header("X-CSRF-Token", token)
                .post("/clients/sensor-1/kick");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("HX-Redirect")).startsWith("/clients?flash=");
        assertThat(FakeAdminApis.CONNECTED).doesNotContainKey("sensor-1");
        assertThat(FakeAdminApis.CALLS).anyMatch(c -> c.startsWith("DELETE /api/v1/clients/sensor-1/connection Basic"));
    }

    @Test
    void givenRoleWithoutRules_whenCreated_thenTheApisValidationMessageIsShown() {
        String cookie = login();
        String token = csrf(given().cookie("quarkus-credential", cookie).get("/access").asString());
        String answer = given().cookie("quarkus-credential", cookie).header("X-CSRF-Token", token)
                .contentType("application/x-www-form-urlencoded").formParam("name", "empty")
                .formParam("priority", "1").formParam("rules", "").post("/access/roles").then().statusCode(200)
                .extract().asString();
        assertThat(answer).contains("a role needs at least one rule (field: rules)");
        String bad = given().cookie("quarkus-credential", cookie).header("X-CSRF-Token", token)
                .contentType("application/x-www-form-urlencoded").formParam("name", "r")
                .formParam("rules", "allow shout x/#").post("/access/roles").then().statusCode(200)
                .extract().asString();
        assertThat(bad).contains("rule line 1: &#39;shout&#39; is not one of publish, subscribe, receive");
        given().cookie("quarkus-credential", cookie).header("X-CSRF-Token", token)
                .contentType("application/x-www-form-urlencoded").formParam("name", "sensors")
                .formParam("priority", "5").formParam("rules", "allow publish sensors/%u/# qos=1\ndeny subscribe #")
                .post("/access/roles").then().statusCode(200).header("HX-Redirect", org.hamcrest.Matchers.startsWith("/access"));
        assertThat(FakeAdminApis.CREATED.get("role:sensors").encode())
                .contains("\"effect\":\"ALLOW\",\"action\":\"PUBLISH\",\"pattern\":\"sensors/%u/#\",\"maxQos\":1")
                .contains("\"priority\":5");
    }

    @Test
    void givenLogout_whenTheOldCookieIsReused_thenTheSessionIsGone() {
        String cookie = login();
        String token = csrf(given().cookie("quarkus-credential", cookie).get("/clients").asString());
        given().cookie("quarkus-credential", cookie).header("X-CSRF-Token", token).post("/logout").then()
                .statusCode(200).header("HX-Redirect", "/login");
        Response again = given().redirects().follow(false).cookie("quarkus-credential", cookie).get("/clients");
        assertThat(again.statusCode()).as("credentials dropped at logout: the copied cookie is worthless")
                .isEqualTo(302);
        assertThat(again.header("Location")).endsWith("/login");
    }
}
