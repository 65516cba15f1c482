package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.message.UserProperty;
import dev.mqttsuite.topic.TopicName;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of session state shared by the session snapshot and the session log: messages, subscription
 * options, wills, strings. Lengths are checked on reading so that a damaged file fails with an IOException, never
 * with an attempt to allocate gigabytes.
 */
public final class StateCodec {

    private static final int MAX_LENGTH = 268_435_455; // the largest MQTT packet

    private StateCodec() {
    }

    public static void writeMessage(DataOutput out, Message m) throws IOException {
        writeBytes(out, m.topic().value().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, m.payload());
        out.writeByte(m.qos());
        out.writeBoolean(m.retain());
        PublishProperties p = m.properties();
        out.writeInt(p.payloadFormatIndicator() == null ? -1 : p.payloadFormatIndicator());
        writeNullable(out, p.contentType());
        writeNullable(out, p.responseTopic());
        out.writeBoolean(p.correlationData() != null);
        if (p.correlationData() != null) {
            writeBytes(out, p.correlationData());
        }
        out.writeInt(p.userProperties().size());
        for (UserProperty u : p.userProperties()) {
            writeString(out, u.key());
            writeString(out, u.value());
        }
        writeNullable(out, m.publisherClientId());
        out.writeLong(m.expiresAtMillis());
    }

    public static Message readMessage(DataInput in) throws IOException {
        TopicName topic = TopicName.fromUtf8(readBytes(in));
        byte[] payload = readBytes(in);
        int qos = in.readByte();
        boolean retain = in.readBoolean();
        int pfi = in.readInt();
        String contentType = readNullable(in);
        String responseTopic = readNullable(in);
        byte[] correlation = in.readBoolean() ? readBytes(in) : null;
        int userCount = in.readInt();
        if (userCount < 0 || userCount > MAX_LENGTH) {
            throw new IOException("corrupt user property count " + userCount);
        }
        List<UserProperty> users = new ArrayList<>(Math.min(userCount, 16));
        for (int i = 0; i < userCount; i++) {
            users.add(new UserProperty(readString(in), readString(in)));
        }
        String publisher = readNullable(in);
        long expiresAt = in.readLong();
        PublishProperties props = users.isEmpty() && pfi < 0 && contentType == null && responseTopic == null
                && correlation == null ? PublishProperties.NONE
                : new PublishProperties(pfi < 0 ? null : pfi, contentType, responseTopic, correlation, users);
        return new Message(topic, payload, qos, retain, props, publisher, expiresAt);
    }

    public static void writeOptions(DataOutput out, SubscriptionOptions o) throws IOException {
        out.writeByte(o.qos());
        out.writeBoolean(o.noLocal());
        out.writeBoolean(o.retainAsPublished());
        out.writeByte(o.retainHandling());
        out.writeInt(o.subscriptionId());
    }

    public static SubscriptionOptions readOptions(DataInput in) throws IOException {
        return new SubscriptionOptions(in.readByte(), in.readBoolean(), in.readBoolean(), in.readByte(), in.readInt());
    }

    public static void writeWill(DataOutput out, StoredWill will) throws IOException {
        writeMessage(out, will.message());
        out.writeLong(will.delaySeconds());
        out.writeLong(will.expirySeconds());
    }

    public static StoredWill readWill(DataInput in) throws IOException {
        return new StoredWill(readMessage(in), in.readLong(), in.readLong());
    }

    public static void writeIds(DataOutput out, int[] ids) throws IOException {
        out.writeInt(ids.length);
        for (int id : ids) {
            out.writeInt(id);
        }
    }

    public static int[] readIds(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 65_535) {
            throw new IOException("corrupt subscription identifier count " + n);
        }
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = in.readInt();
        }
        return ids;
    }

    public static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static byte[] readBytes(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_LENGTH) {
            throw new IOException("corrupt length " + n);
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    /** UTF-8 with a length (MQTT strings may exceed what writeUTF's modified UTF-8 can hold). */
    public static void writeString(DataOutput out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    public static String readString(DataInput in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    public static void writeNullable(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    public static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }
}
