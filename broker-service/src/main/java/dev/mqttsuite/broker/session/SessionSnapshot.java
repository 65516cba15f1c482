package dev.mqttsuite.broker.session;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.topic.SubscriptionTopic;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
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
    private static final int VERSION = 2; // 2: journal ids, will and owner; 1 is still read

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
            if (version != 1 && version != VERSION) {
                throw new IOException(file + " has version " + version + ", this broker reads 1 and " + VERSION);
            }
            int count = in.readInt();
            List<SessionState> states = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                states.add(readState(in, version));
            }
            return states;
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }

    /** One session's state in the snapshot's binary form (versioned), e.g. to hand it to another broker. */
    public static byte[] encode(SessionState state) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            writeState(out, state);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // in memory: does not happen
        }
        return bytes.toByteArray();
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws IOException when the bytes are truncated or of an unknown version
     */
    public static SessionState decode(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
                throw new IOException("session state of version " + version + ", this broker reads 1 and " + VERSION);
            }
            return readState(in, version);
        } catch (EOFException e) {
            throw new IOException("session state truncated", e);
        }
    }

    private static void writeState(DataOutputStream out, SessionState s) throws IOException {
        StateCodec.writeString(out, s.clientId());
        out.writeLong(s.expiryIntervalSeconds());
        out.writeLong(s.detachedAtMillis());
        out.writeInt(s.subscriptions().size());
        for (Map.Entry<SubscriptionTopic, SubscriptionOptions> e : s.subscriptions().entrySet()) {
            StateCodec.writeString(out, e.getKey().value());
            StateCodec.writeOptions(out, e.getValue());
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
        out.writeBoolean(s.will() != null);
        if (s.will() != null) {
            StateCodec.writeWill(out, s.will());
        }
        StateCodec.writeNullable(out, s.owner());
    }

    private static SessionState readState(DataInputStream in, int version) throws IOException {
        String clientId = StateCodec.readString(in);
        long expiry = in.readLong();
        long detachedAt = in.readLong();
        int subs = in.readInt();
        Map<SubscriptionTopic, SubscriptionOptions> subscriptions = new LinkedHashMap<>();
        for (int i = 0; i < subs; i++) {
            SubscriptionTopic topic = SubscriptionTopic.parse(StateCodec.readString(in));
            subscriptions.put(topic, StateCodec.readOptions(in));
        }
        List<Delivery> inflight = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            inflight.add(readDelivery(in, version));
        }
        List<Delivery> queue = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            queue.add(readDelivery(in, version));
        }
        Set<Integer> inboundQos2 = new HashSet<>();
        for (int i = in.readInt(); i > 0; i--) {
            inboundQos2.add(in.readUnsignedShort());
        }
        int nextPacketId = in.readUnsignedShort();
        StoredWill will = version >= 2 && in.readBoolean() ? StateCodec.readWill(in) : null;
        String owner = version >= 2 ? StateCodec.readNullable(in) : null;
        return new SessionState(clientId, expiry, detachedAt, subscriptions, inflight, queue, inboundQos2,
                nextPacketId, will, owner);
    }

    private static void writeDelivery(DataOutputStream out, Delivery d) throws IOException {
        StateCodec.writeMessage(out, d.message);
        out.writeByte(d.qos);
        out.writeBoolean(d.retain);
        StateCodec.writeIds(out, d.subscriptionIds);
        out.writeShort(d.packetId);
        out.writeBoolean(d.released);
        out.writeBoolean(d.sent);
        out.writeLong(d.journalId);
    }

    private static Delivery readDelivery(DataInputStream in, int version) throws IOException {
        Message message = StateCodec.readMessage(in);
        int qos = in.readByte();
        boolean retain = in.readBoolean();
        Delivery d = new Delivery(message, qos, retain, StateCodec.readIds(in), null);
        d.packetId = in.readUnsignedShort();
        d.released = in.readBoolean();
        d.sent = in.readBoolean();
        d.journalId = version >= 2 ? in.readLong() : 0;
        return d;
    }
}
