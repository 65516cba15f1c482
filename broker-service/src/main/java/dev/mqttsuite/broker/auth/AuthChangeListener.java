package dev.mqttsuite.broker.auth;

import dev.mqttsuite.auth.v1.Change;

/** Receives the auth-service's change events (implemented by the server layer, which owns the connections). */
public interface AuthChangeListener {

    void onChange(Change change);
}
