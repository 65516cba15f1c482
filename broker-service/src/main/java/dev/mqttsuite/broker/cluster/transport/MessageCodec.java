package dev.mqttsuite.broker.cluster.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.message.UserProperty;
import dev.mqttsuite.cluster.v1.ClusterMessage;
import dev.mqttsuite.cluster.v1.ClusterUserProperty;
import dev.mqttsuite.topic.TopicName;
import java.util.ArrayList;
import java.util.List;

/** A routed {@link Message} to and from its broker-to-broker form ({@code contracts/broker_cluster.proto}). */
public final class MessageCodec {

    private MessageCodec() {
    }

    /** Encodes once per publish, shared by every peer it goes to; the payload is wrapped, not copied. */
    public static ClusterMessage encode(Message message, long nowMillis) {
        ClusterMessage.Builder builder = ClusterMessage.newBuilder()
                .setTopic(message.topic().value())
                .setPayload(UnsafeByteOperations.unsafeWrap(message.payload())) // never modified after construction
                .setQos(message.qos())
                .setRetain(message.retain());
        if (message.publisherClientId() != null) {
            builder.setPublisherClientId(message.publisherClientId());
        }
        if (message.expiresAtMillis() != 0) {
            builder.setExpiryLeftMillis(Math.max(1, message.expiresAtMillis() - nowMillis));
        }
        PublishProperties properties = message.properties();
        if (!properties.isEmpty()) {
            if (properties.payloadFormatIndicator() != null) {
                builder.setPayloadFormatIndicator(properties.payloadFormatIndicator());
            }
            if (properties.contentType() != null) {
                builder.setContentType(properties.contentType());
            }
            if (properties.responseTopic() != null) {
                builder.setResponseTopic(properties.responseTopic());
            }
            if (properties.correlationData() != null) {
                builder.setCorrelationData(ByteString.copyFrom(properties.correlationData()));
            }
            for (UserProperty property : properties.userProperties()) {
                builder.addUserProperties(ClusterUserProperty.newBuilder().setKey(property.key())
                        .setValue(property.value()));
            }
        }
        return builder.build();
    }

    /** Decodes a forwarded message; its expiry restarts from the time left when it was sent. */
    public static Message decode(ClusterMessage proto, long nowMillis) {
        PublishProperties properties = PublishProperties.NONE;
        if (proto.hasPayloadFormatIndicator() || proto.hasContentType() || proto.hasResponseTopic()
                || proto.hasCorrelationData() || proto.getUserPropertiesCount() > 0) {
            List<UserProperty> user = new ArrayList<>(proto.getUserPropertiesCount());
            for (ClusterUserProperty property : proto.getUserPropertiesList()) {
                user.add(new UserProperty(property.getKey(), property.getValue()));
            }
            properties = new PublishProperties(
                    proto.hasPayloadFormatIndicator() ? proto.getPayloadFormatIndicator() : null,
                    proto.hasContentType() ? proto.getContentType() : null,
                    proto.hasResponseTopic() ? proto.getResponseTopic() : null,
                    proto.hasCorrelationData() ? proto.getCorrelationData().toByteArray() : null, user);
        }
        return new Message(TopicName.of(proto.getTopic()), proto.getPayload().toByteArray(), proto.getQos(),
                proto.getRetain(), properties,
                proto.getPublisherClientId().isEmpty() ? null : proto.getPublisherClientId(),
                proto.getExpiryLeftMillis() == 0 ? 0 : nowMillis + proto.getExpiryLeftMillis());
    }
}
