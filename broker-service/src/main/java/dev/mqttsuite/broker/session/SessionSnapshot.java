package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.message.UserProperty;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SubscriptionTopic;
import dev.mqttsuite.topic.TopicName;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The file that carries persistent sessions over a restart ({@code broker.session.persistence=file}): written at a
 * graceful shutdown (temp file, fsync, atomic rename), read once at the next start. Binary, versioned, with a
 * CRC32C over the whole content: a damaged file is refused with a clear message rather than half restored.
 */
public final class SessionSnapshot {

    private static final int MAGIC = 0x4D515353; // "MQSS"
    private static final int VERSION = 1;

    private SessionSnapshot() {
    }

    /** Writes the states to {@code file} atomically; returns how many sessions were written. */
    public static int write(Path file, List<SessionState> states) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream raw = Channels.newOutputStream(channel);
            CRC32C crc = new CRC32C();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16),
                    crc));
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(states.size());
            for (SessionState s : states) {
                writeState(out, s);
            }
            out.flush();
            new DataOutputStream(raw).writeInt((int) crc.getValue());
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return states.size();
    }

    /**
     * Reads a snapshot.
     *
     * @throws IOException when the file is damaged (wrong magic, version, checksum, truncated)
     */
    public static List<SessionState> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 16) {
            throw new IOException(file + " is truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        int stored = ((all[all.length - 4] & 0xFF) << 24) | ((all[all.length - 3] & 0xFF) << 16)
                | ((all[all.length - 2] & 0xFF) << 8) | (all[all.length - 1] & 0xFF);
        if ((int) crc.getValue() != stored) {
            throw new IOException(file + " is damaged (checksum mismatch)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 4))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a session snapshot");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " has version " + version + ", this broker reads " + VERSION);
            }
            int count = in.readInt();
            List<SessionState> states = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                states.add(readState(in));
            }
            return states;
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }

    private static void writeState(DataOutputStream out, SessionState s) throws IOException {
        writeString(out, s.clientId());
        out.writeLong(s.expiryIntervalSeconds());
        out.writeLong(s.detachedAtMillis());
        out.writeInt(s.subscriptions().size());
        for (Map.Entry<SubscriptionTopic, SubscriptionOptions> e : s.subscriptions().entrySet()) {
            writeString(out, e.getKey().value());
            SubscriptionOptions o = e.getValue();
            out.writeByte(o.qos());
            out.writeBoolean(o.noLocal());
            out.writeBoolean(o.retainAsPublished());
            out.writeByte(o.retainHandling());
            out.writeInt(o.subscriptionId());
        }
        out.writeInt(s.inflight().size());
        for (Delivery d : s.inflight()) {
            writeDelivery(out, d);
        }
        out.writeInt(s.queue().size());
        for (Delivery d : s.queue()) {
            writeDelivery(out, d);
        }
        out.writeInt(s.inboundQos2().size());
        for (int id : s.inboundQos2()) {
            out.writeShort(id);
        }
        out.writeShort(s.nextPacketId());
    }

    private static SessionState readState(DataInputStream in) throws IOException {
        String clientId = readString(in);
        long expiry = in.readLong();
        long detachedAt = in.readLong();
        int subs = in.readInt();
        Map<SubscriptionTopic, SubscriptionOptions> subscriptions = new LinkedHashMap<>();
        for (int i = 0; i < subs; i++) {
            SubscriptionTopic topic = SubscriptionTopic.parse(readString(in));
            subscriptions.put(topic, new SubscriptionOptions(in.readByte(), in.readBoolean(), in.readBoolean(),
                    in.readByte(), in.readInt()));
        }
        List<Delivery> inflight = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            inflight.add(readDelivery(in));
        }
        List<Delivery> queue = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            queue.add(readDelivery(in));
        }
        Set<Integer> inboundQos2 = new HashSet<>();
        for (int i = in.readInt(); i > 0; i--) {
            inboundQos2.add(in.readUnsignedShort());
        }
        int nextPacketId = in.readUnsignedShort();
        return new SessionState(clientId, expiry, detachedAt, subscriptions, inflight, queue, inboundQos2,
                nextPacketId);
    }

    private static void writeDelivery(DataOutputStream out, Delivery d) throws IOException {
        Message m = d.message;
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
        out.writeByte(d.qos);
        out.writeBoolean(d.retain);
        out.writeInt(d.subscriptionIds.length);
        for (int id : d.subscriptionIds) {
            out.writeInt(id);
        }
        out.writeShort(d.packetId);
        out.writeBoolean(d.released);
        out.writeBoolean(d.sent);
    }

    private static Delivery readDelivery(DataInputStream in) throws IOException {
        TopicName topic = TopicName.fromUtf8(readBytes(in));
        byte[] payload = readBytes(in);
        int qos = in.readByte();
        boolean retain = in.readBoolean();
        int pfi = in.readInt();
        String contentType = readNullable(in);
        String responseTopic = readNullable(in);
        byte[] correlation = in.readBoolean() ? readBytes(in) : null;
        List<UserProperty> users = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            users.add(new UserProperty(readString(in), readString(in)));
        }
        String publisher = readNullable(in);
        long expiresAt = in.readLong();
        PublishProperties props = new PublishProperties(pfi < 0 ? null : pfi, contentType, responseTopic, correlation,
                users);
        Message message = new Message(topic, payload, qos, retain, props, publisher, expiresAt);
        int dQos = in.readByte();
        boolean dRetain = in.readBoolean();
        int[] ids = new int[in.readInt()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = in.readInt();
        }
        Delivery d = new Delivery(message, dQos, dRetain, ids, null);
        d.packetId = in.readUnsignedShort();
        d.released = in.readBoolean();
        d.sent = in.readBoolean();
        return d;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 268_435_455) {
            throw new IOException("corrupt length " + n);
        }
        return in.readNBytes(n);
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    /** UTF-8 with a length (MQTT strings may exceed what writeUTF's modified UTF-8 can hold). */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }
}
