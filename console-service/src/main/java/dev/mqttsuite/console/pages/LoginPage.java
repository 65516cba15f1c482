package dev.mqttsuite.console.pages;

import dev.mqttsuite.console.security.Caller;
import dev.mqttsuite.console.security.ConsoleSessions;
import dev.mqttsuite.console.security.LoginCsrf;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The login page (form login posts to Quarkus' {@code j_security_check}) and logout. */
@Path("/")
public class LoginPage {

    @Inject
    Template login;

    @Inject
    Caller caller;

    @Inject
    ConsoleSessions sessions;

    @Inject
    LoginCsrf loginCsrf;

    @ConfigProperty(name = "quarkus.http.auth.form.cookie-name", defaultValue = "quarkus-credential")
    String cookieName;

    /**
     * The login page; for the form it sets a fresh pre-login token in a cookie and in the form's action, which
     * {@link LoginCsrf} checks before the login is handled (login CSRF).
     */
    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response page(@QueryParam("error") boolean error, @Context UriInfo uri) {
        TemplateInstance page = login.data("error", error).data("oidc", caller.oidc());
        if (caller.oidc()) {
            return Response.ok(page).build();
        }
        String token = loginCsrf.newToken();
        NewCookie cookie = new NewCookie.Builder(LoginCsrf.COOKIE).path("/").value(token).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure("https".equals(uri.getRequestUri().getScheme())).build();
        return Response.ok(page.data("loginToken", token)).cookie(cookie).build();
    }

    /**
     * Ends the session: the server-side credentials are dropped at once (a copied cookie is worthless from now on),
     * the cookie is cleared; with SSO the browser goes on to the identity provider's logout.
     */
    @POST
    @Path("logout")
    public Response logout() {
        caller.sessionId().ifPresent(sessions::close);
        String next = caller.oidc() ? "/logout/sso" : "/login";
        NewCookie clear = new NewCookie.Builder(cookieName).path("/").value("").maxAge(0).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
        return Response.ok().cookie(clear).header("HX-Redirect", next).build();
    }
}
