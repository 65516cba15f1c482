package dev.mqttsuite.broker.session.log;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.session.StateCodec;
import dev.mqttsuite.topic.SubscriptionTopic;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Encodes a batch of records into one frame payload and back. A message routed to several persistent sessions in the
 * same batch is written once ({@code MESSAGE} entry) and referenced by its index in the frame.
 */
final class RecordCodec {

    private static final int OPENED = 1;
    private static final int ATTACHED = 2;
    private static final int DETACHED = 3;
    private static final int ENDED = 4;
    private static final int SUBSCRIBED = 5;
    private static final int UNSUBSCRIBED = 6;
    private static final int QUEUED = 7;
    private static final int SENT = 8;
    private static final int RELEASED = 9;
    private static final int COMPLETED = 10;
    private static final int INBOUND_STARTED = 11;
    private static final int INBOUND_RELEASED = 12;
    private static final int WILL = 13;
    private static final int MESSAGE = 14;

    /** A reusable output buffer whose bytes can be read without a copy. */
    static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }

    private final Buffer buffer = new Buffer(1 << 16);
    private final DataOutputStream out = new DataOutputStream(buffer);
    private final Map<Message, Integer> messages = new IdentityHashMap<>();

    /** Starts a new frame. */
    void reset() {
        buffer.reset();
        messages.clear();
    }

    Buffer buffer() {
        return buffer;
    }

    void write(LogRecord record) throws IOException {
        switch (record) {
            case LogRecord.Opened r -> {
                header(OPENED, r);
                out.writeLong(r.expiryIntervalSeconds());
                StateCodec.writeNullable(out, r.owner());
            }
            case LogRecord.Attached r -> {
                header(ATTACHED, r);
                out.writeLong(r.expiryIntervalSeconds());
            }
            case LogRecord.Detached r -> {
                header(DETACHED, r);
                out.writeLong(r.expiryIntervalSeconds());
                out.writeLong(r.atMillis());
            }
            case LogRecord.Ended r -> header(ENDED, r);
            case LogRecord.Subscribed r -> {
                header(SUBSCRIBED, r);
                StateCodec.writeString(out, r.topic().value());
                StateCodec.writeOptions(out, r.options());
            }
            case LogRecord.Unsubscribed r -> {
                header(UNSUBSCRIBED, r);
                StateCodec.writeString(out, r.topic().value());
            }
            case LogRecord.Queued r -> {
                Integer index = messages.get(r.message());
                if (index == null) {
                    index = messages.size();
                    messages.put(r.message(), index);
                    out.writeByte(MESSAGE);
                    StateCodec.writeMessage(out, r.message());
                }
                header(QUEUED, r);
                out.writeLong(r.id());
                out.writeInt(index);
                out.writeByte(r.qos());
                out.writeBoolean(r.retain());
                StateCodec.writeIds(out, r.subscriptionIds());
            }
            case LogRecord.Sent r -> {
                header(SENT, r);
                out.writeLong(r.id());
                out.writeShort(r.packetId());
            }
            case LogRecord.Released r -> {
                header(RELEASED, r);
                out.writeLong(r.id());
            }
            case LogRecord.Completed r -> {
                header(COMPLETED, r);
                out.writeLong(r.id());
            }
            case LogRecord.InboundStarted r -> {
                header(INBOUND_STARTED, r);
                out.writeShort(r.packetId());
            }
            case LogRecord.InboundReleased r -> {
                header(INBOUND_RELEASED, r);
                out.writeShort(r.packetId());
            }
            case LogRecord.WillSet r -> {
                header(WILL, r);
                out.writeBoolean(r.will() != null);
                if (r.will() != null) {
                    StateCodec.writeWill(out, r.will());
                }
            }
        }
    }

    private void header(int type, LogRecord record) throws IOException {
        out.writeByte(type);
        StateCodec.writeString(out, record.clientId());
    }

    /** Decodes one frame payload, handing each record to {@code sink} in order. */
    static void read(byte[] payload, int offset, int length, Consumer<LogRecord> sink) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload, offset, length));
        List<Message> messages = new ArrayList<>();
        while (in.available() > 0) {
            int type = in.readByte();
            if (type == MESSAGE) {
                messages.add(StateCodec.readMessage(in));
                continue;
            }
            String clientId = StateCodec.readString(in);
            sink.accept(switch (type) {
                case OPENED -> new LogRecord.Opened(clientId, in.readLong(), StateCodec.readNullable(in));
                case ATTACHED -> new LogRecord.Attached(clientId, in.readLong());
                case DETACHED -> new LogRecord.Detached(clientId, in.readLong(), in.readLong());
                case ENDED -> new LogRecord.Ended(clientId);
                case SUBSCRIBED -> new LogRecord.Subscribed(clientId,
                        SubscriptionTopic.parse(StateCodec.readString(in)), StateCodec.readOptions(in));
                case UNSUBSCRIBED -> new LogRecord.Unsubscribed(clientId,
                        SubscriptionTopic.parse(StateCodec.readString(in)));
                case QUEUED -> {
                    long id = in.readLong();
                    int index = in.readInt();
                    if (index < 0 || index >= messages.size()) {
                        throw new IOException("message reference " + index + " outside the frame");
                    }
                    yield new LogRecord.Queued(clientId, id, messages.get(index), in.readByte(), in.readBoolean(),
                            StateCodec.readIds(in));
                }
                case SENT -> new LogRecord.Sent(clientId, in.readLong(), in.readUnsignedShort());
                case RELEASED -> new LogRecord.Released(clientId, in.readLong());
                case COMPLETED -> new LogRecord.Completed(clientId, in.readLong());
                case INBOUND_STARTED -> new LogRecord.InboundStarted(clientId, in.readUnsignedShort());
                case INBOUND_RELEASED -> new LogRecord.InboundReleased(clientId, in.readUnsignedShort());
                case WILL -> new LogRecord.WillSet(clientId, in.readBoolean() ? StateCodec.readWill(in) : null);
                default -> throw new IOException("unknown record type " + type);
            });
        }
    }
}
