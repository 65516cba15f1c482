package dev.mqttsuite.it.support;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;

/**
 * A client's incoming PUBLISH stream, registered for sure before use: HiveMQ's client registers a publishes flow on
 * its event loop asynchronously, and a message read in the same loop turn could miss it. The UNSUBSCRIBE round trip
 * runs behind the registration on that loop.
 */
public final class Listen {

    private Listen() {
    }

    public static Mqtt5BlockingClient.Mqtt5Publishes listen(Mqtt5BlockingClient client) {
        Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL);
        if (client.getState().isConnected()) {
            client.unsubscribeWith().topicFilter("$sync/listen").send();
        }
        return publishes;
    }
}
