package dev.mqttsuite.broker.admin;

/** Roles of the broker admin API, the names the auth-service and the retained store use. */
public final class Roles {

    /** Reads and acts (kick, discard, publish). */
    public static final String ADMIN = "mqtt-admin";
    /** Reads only. */
    public static final String VIEWER = "mqtt-viewer";

    private Roles() {
    }
}
