package dev.mqttsuite.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.console.FormLoginTest.LoginForm;
import dev.mqttsuite.console.security.LoginCsrf;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * Login CSRF: a login POST to {@code j_security_check} is handled only with the login page's pre-login token (cookie
 * and form action agree) and not when a browser says it comes from another site or origin; the real form logs in.
 */
@QuarkusTest
@QuarkusTestResource(FakeAdminApis.class)
class LoginCsrfTest {

    private static RequestSpecification goodCredentials() {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", FakeAdminApis.USER).formParam("j_password", FakeAdminApis.PASSWORD);
    }

    private static void assertRefusedWithoutSession(Response r) {
        assertThat(r.statusCode()).as("refused before the credentials are looked at").isEqualTo(403);
        assertThat(r.getCookie("quarkus-credential")).as("no session").isNull();
        assertThat(r.asString()).contains("Login refused");
    }

    @Test
    void givenTheLoginPage_thenItSetsAStrictHttpOnlyPreLoginCookie() {
        Response page = given().get("/login");
        String setCookie = page.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(LoginCsrf.COOKIE + "=")).findFirst().orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
        assertThat(LoginForm.open().cookie()).as("a fresh token per login page").isNotEqualTo(page.getCookie(
                LoginCsrf.COOKIE));
    }

    @Test
    void givenTheRealFormFromTheSameOrigin_whenLoggingIn_thenSessionStarts() {
        LoginForm form = LoginForm.open();
        Response r = goodCredentials().cookie(LoginCsrf.COOKIE, form.cookie()).header("Sec-Fetch-Site", "same-origin")
                .post(form.action());
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.getCookie("quarkus-credential")).isNotBlank();
    }

    @Test
    void givenACrossSiteFormPostWithoutTheCookie_whenLoggingIn_thenRefused() {
        // what an attacker's auto-submitting form sends: the browser withholds the SameSite=Strict cookie
        LoginForm form = LoginForm.open();
        assertRefusedWithoutSession(goodCredentials().header("Sec-Fetch-Site", "cross-site")
                .header("Origin", "https://attacker.example").post(form.action()));
        assertRefusedWithoutSession(goodCredentials().post("/j_security_check"));
        // Quarkus' form mechanism takes any path ending in j_security_check: so does the check
        assertRefusedWithoutSession(goodCredentials().post("/static/j_security_check"));
    }

    @Test
    void givenTheTokenButAnotherSite_whenLoggingIn_thenRefused() {
        LoginForm form = LoginForm.open();
        assertRefusedWithoutSession(goodCredentials().cookie(LoginCsrf.COOKIE, form.cookie())
                .header("Sec-Fetch-Site", "cross-site").post(form.action()));
        assertRefusedWithoutSession(goodCredentials().cookie(LoginCsrf.COOKIE, form.cookie())
                .header("Sec-Fetch-Site", "same-site").post(form.action()));
        assertRefusedWithoutSession(goodCredentials().cookie(LoginCsrf.COOKIE, form.cookie())
                .header("Origin", "https://attacker.example").post(form.action()));
        assertRefusedWithoutSession(goodCredentials().cookie(LoginCsrf.COOKIE, form.cookie())
                .header("Origin", "null").header("Sec-Fetch-Site", "cross-site").post(form.action()));
    }

    @Test
    void givenChromiumsSameOriginFormPostUnderNoReferrer_withOriginNull_whenLoggingIn_thenSessionStarts() {
        // our Referrer-Policy is no-referrer: Chromium then sends "Origin: null" on the login form's POST
        LoginForm form = LoginForm.open();
        Response r = goodCredentials().cookie(LoginCsrf.COOKIE, form.cookie()).header("Sec-Fetch-Site", "same-origin")
                .header("Origin", "null").post(form.action());
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.getCookie("quarkus-credential")).isNotBlank();
    }

    @Test
    void givenACookieThatDoesNotMatchTheFormsToken_whenLoggingIn_thenRefused() {
        LoginForm mine = LoginForm.open();
        LoginForm other = LoginForm.open();
        assertRefusedWithoutSession(goodCredentials().cookie(LoginCsrf.COOKIE, other.cookie()).post(mine.action()));
        assertRefusedWithoutSession(goodCredentials().cookie(LoginCsrf.COOKIE, mine.cookie())
                .post("/j_security_check"));
    }
}
