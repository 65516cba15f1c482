package dev.mqttsuite.broker.protocol;

import dev.mqttsuite.broker.message.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.util.ArrayList;
import java.util.List;

/** Typed reads and writes of MQTT 5 properties over Netty's {@link MqttProperties}. */
public final class Props {

    private Props() {
    }

    public static Integer integer(MqttProperties props, MqttPropertyType type) {
        if (props == null) {
            return null;
        }
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? null : (Integer) p.value();
    }

    public static int integer(MqttProperties props, MqttPropertyType type, int defaultValue) {
        Integer v = integer(props, type);
        return v == null ? defaultValue : v;
    }

    /** Four-byte integers (expiry intervals) are unsigned; Netty stores them in an int. */
    public static Long unsigned(MqttProperties props, MqttPropertyType type) {
        Integer v = integer(props, type);
        return v == null ? null : Integer.toUnsignedLong(v);
    }

    public static String string(MqttProperties props, MqttPropertyType type) {
        if (props == null) {
            return null;
        }
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? null : (String) p.value();
    }

    public static byte[] binary(MqttProperties props, MqttPropertyType type) {
        if (props == null) {
            return null;
        }
        MqttProperties.MqttProperty<?> p = props.getProperty(type.value());
        return p == null ? null : (byte[]) p.value();
    }

    /** All Subscription Identifier properties (a PUBLISH to a client may carry several). */
    public static List<Integer> integers(MqttProperties props, MqttPropertyType type) {
        if (props == null) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (MqttProperties.MqttProperty<?> p : props.getProperties(type.value())) {
            out.add((Integer) p.value());
        }
        return out;
    }

    public static List<UserProperty> userProperties(MqttProperties props) {
        if (props == null) {
            return List.of();
        }
        List<UserProperty> out = new ArrayList<>();
        for (MqttProperties.MqttProperty<?> p : props.getProperties(MqttPropertyType.USER_PROPERTY.value())) {
            if (p instanceof MqttProperties.UserProperty user) {
                out.add(new UserProperty(user.value().key, user.value().value));
            } else if (p instanceof MqttProperties.UserProperties users) {
                for (MqttProperties.StringPair pair : users.value()) {
                    out.add(new UserProperty(pair.key, pair.value));
                }
            }
        }
        return out;
    }

    public static void putInt(MqttProperties props, MqttPropertyType type, int value) {
        props.add(new MqttProperties.IntegerProperty(type.value(), value));
    }

    public static void putString(MqttProperties props, MqttPropertyType type, String value) {
        props.add(new MqttProperties.StringProperty(type.value(), value));
    }

    public static void putBinary(MqttProperties props, MqttPropertyType type, byte[] value) {
        props.add(new MqttProperties.BinaryProperty(type.value(), value));
    }

    public static void putUserProperties(MqttProperties props, List<UserProperty> users) {
        for (UserProperty u : users) {
            props.add(new MqttProperties.UserProperty(u.key(), u.value()));
        }
    }
}
