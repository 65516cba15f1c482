package dev.mqttsuite.console.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Login CSRF defence for {@code j_security_check}, which the session's CSRF token cannot cover (there is no session
 * yet): a forged cross-site login would log the victim's browser into the attacker's account. The login page sets a
 * random pre-login token in an HttpOnly, SameSite=Strict cookie and puts the same token into the form's action URL
 * (query parameter {@value #PARAMETER}; the form's body is left to Quarkus' form mechanism). A filter that runs
 * before Quarkus' authentication refuses (403) a login POST
 * <ul>
 * <li>that a browser marks as coming from another site or origin ({@code Sec-Fetch-Site} other than
 * {@code same-origin}, or an {@code Origin} other than {@code null} whose host and port are not the request's
 * {@code Host}), or</li>
 * <li>whose token is missing or does not equal the cookie's (double submit: another site can neither read the cookie
 * nor make the browser send it cross-site).</li>
 * </ul>
 */
@Singleton
public class LoginCsrf {

    /** The pre-login cookie. */
    public static final String COOKIE = "console-login";
    /** The query parameter of the login form's action carrying the same token. */
    public static final String PARAMETER = "login-token";

    /** Before Quarkus' authentication (200) and form authentication (150), after CORS (300). */
    private static final int PRIORITY = 250;
    private static final Logger LOG = Logger.getLogger(LoginCsrf.class);

    private final SecureRandom random = new SecureRandom();
    private final String postLocation;

    public LoginCsrf(@ConfigProperty(name = "quarkus.http.auth.form.post-location",
            defaultValue = "/j_security_check") String postLocation) {
        this.postLocation = postLocation.startsWith("/") ? postLocation : "/" + postLocation;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    /** A fresh pre-login token for one login page. */
    public String newToken() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        // the same match as Quarkus' form mechanism (any path ending with the post location), so none slips past
        if (request.method() != HttpMethod.POST || !context.normalizedPath().endsWith(postLocation)) {
            context.next();
            return;
        }
        String refusal = refusal(request, context.request().getCookie(COOKIE), request.getParam(PARAMETER));
        if (refusal == null) {
            context.next();
            return;
        }
        LOG.infof("login POST refused from %s: %s", request.remoteAddress(), refusal);
        context.response().setStatusCode(403).putHeader("Content-Type", "text/html; charset=utf-8")
                .end("<!DOCTYPE html><title>Login refused</title><h1>Login refused</h1><p>" + refusal
                        + ". <a href=\"/login\">Open the login page</a> and log in from there.</p>");
    }

    /** Why this login POST is refused, or null when it may go on to the form authentication. */
    static String refusal(HttpServerRequest request, Cookie cookie, String token) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !"same-origin".equals(site.toLowerCase(Locale.ROOT))) {
            return "the login form was sent from another site";
        }
        String origin = request.getHeader("Origin");
        // "null": what Chromium sends on a same-origin form POST under Referrer-Policy: no-referrer (ours); no
        // information either way, so Sec-Fetch-Site and the token decide
        if (origin != null && !"null".equals(origin) && !sameAuthority(origin, request.getHeader("Host"))) {
            return "the login form was sent from another origin";
        }
        if (cookie == null || token == null || token.isEmpty() || !MessageDigest.isEqual(
                cookie.getValue().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return "the login form's token is missing or stale";
        }
        return null;
    }

    private static boolean sameAuthority(String origin, String host) {
        try {
            String authority = URI.create(origin).getRawAuthority();
            return authority != null && host != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException notAUri) {
            return false;
        }
    }
}
