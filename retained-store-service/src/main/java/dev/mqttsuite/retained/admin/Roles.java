package dev.mqttsuite.retained.admin;

/** Roles of the admin API, the same names the auth-service uses. */
public final class Roles {

    public static final String ADMIN = "mqtt-admin";
    public static final String VIEWER = "mqtt-viewer";

    private Roles() {
    }
}
