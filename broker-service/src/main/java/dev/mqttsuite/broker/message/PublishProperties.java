package dev.mqttsuite.broker.message;

import java.util.List;

/**
 * The MQTT 5 PUBLISH properties the broker forwards untouched [MQTT-3.3.2-4, MQTT-3.3.2-15, MQTT-3.3.2-16,
 * MQTT-3.3.2-18, MQTT-3.3.2-20]. Message expiry is kept on {@link Message} as a deadline; topic alias and subscription
 * identifiers are per hop and never stored here.
 */
public record PublishProperties(Integer payloadFormatIndicator, String contentType, String responseTopic,
        byte[] correlationData, List<UserProperty> userProperties) {

    public static final PublishProperties NONE = new PublishProperties(null, null, null, null, List.of());

    public PublishProperties {
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }

    public boolean isEmpty() {
        return payloadFormatIndicator == null && contentType == null && responseTopic == null
                && correlationData == null && userProperties.isEmpty();
    }
}
