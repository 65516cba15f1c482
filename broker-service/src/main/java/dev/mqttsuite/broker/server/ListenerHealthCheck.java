package dev.mqttsuite.broker.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the MQTT listeners are bound. */
@Readiness
@ApplicationScoped
public class ListenerHealthCheck implements HealthCheck {

    @Inject
    BrokerService broker;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("mqtt-listener")
                .status(broker.isListening())
                .withData("mqttPort", broker.mqttPort())
                .withData("tlsPort", broker.tlsPort())
                .withData("webSocketPort", broker.webSocketPort())
                .withData("webSocketTlsPort", broker.webSocketTlsPort())
                .build();
    }
}
