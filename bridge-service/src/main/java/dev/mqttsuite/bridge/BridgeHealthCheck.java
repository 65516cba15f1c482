package dev.mqttsuite.bridge;

import dev.mqttsuite.bridge.connect.Endpoint;
import dev.mqttsuite.bridge.route.Side;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while every bridge is connected to our broker and to its remote broker (unless that remote is marked
 * {@code required=false}). The data shows each side's state, reconnects and last error.
 */
@Readiness
@ApplicationScoped
public class BridgeHealthCheck implements HealthCheck {

    @Inject
    BridgeService service;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("bridges");
        boolean up = true;
        for (Bridge bridge : service.bridges()) {
            for (Side side : Side.values()) {
                Endpoint e = bridge.endpoint(side);
                String key = bridge.name() + "." + (side == Side.LOCAL ? "local" : "remote");
                boolean required = side == Side.LOCAL || bridge.remoteRequired();
                up &= e.isConnected() || !required;
                builder.withData(key, (e.isConnected() ? "connected" : "disconnected") + " " + e.address()
                        + (required ? "" : " (not required)") + ", reconnects " + e.reconnects()
                        + (e.lastError() == null ? "" : ", last error at " + e.lastErrorAt() + ": " + e.lastError()));
            }
        }
        builder.withData("bridges", service.bridges().size());
        return builder.status(up).build();
    }
}
