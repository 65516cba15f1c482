package dev.mqttsuite.broker.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A byte-level MQTT client for malformed-packet tests: it writes exactly the bytes a test gives it and reads raw
 * packets back, so it can send what no real client library would.
 */
public final class RawMqttClient implements AutoCloseable {

    /** A packet as received: first byte (type and flags) and the remaining bytes. */
    public record Packet(int header, byte[] body) {
        public int type() {
            return (header >> 4) & 0x0F;
        }

        @Override
        public String toString() {
            return String.format("Packet[type=%d flags=%d body=%s]", type(), header & 0x0F,
                    HexFormat.of().formatHex(body));
        }
    }

    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int SUBACK = 9;
    public static final int PINGRESP = 13;
    public static final int DISCONNECT = 14;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    public RawMqttClient(String host, int port) throws IOException {
        this(host, port, 0);
    }

    /**
     * @param receiveBufferBytes the socket's receive buffer, set before connecting so that it also fixes the TCP
     *     window (a slow device's); 0 leaves the system's auto-tuned default
     */
    public RawMqttClient(String host, int port, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
    }

    public RawMqttClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one packet, or null if the server closed the connection. */
    public Packet read() throws IOException {
        int header = in.read();
        if (header < 0) {
            return null;
        }
        int length = 0;
        int multiplier = 1;
        int b;
        do {
            b = in.read();
            if (b < 0) {
                throw new EOFException("closed inside remaining length");
            }
            length += (b & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(header, body);
    }

    /** True if the server closed the connection within the socket timeout (reading and discarding any packets). */
    public boolean closedByServer() throws IOException {
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /**
     * True if the server closed the connection within {@code limit} (reading and discarding any packets): closed at
     * once, not later by some timeout.
     */
    public boolean closedByServerWithin(Duration limit) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout((int) limit.toMillis());
        try {
            return closedByServer();
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previous);
            }
        }
    }

    public InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    // ---- packet builders ----------------------------------------------------------------------------------------

    /** Encodes a packet: first byte, remaining length (variable byte integer), body. */
    public static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(firstByte);
        writeVarInt(bytes, body.length);
        bytes.writeBytes(body);
        return bytes.toByteArray();
    }

    public static void writeVarInt(ByteArrayOutputStream out, int value) {
        do {
            int digit = value % 128;
            value /= 128;
            if (value > 0) {
                digit |= 0x80;
            }
            out.write(digit);
        } while (value > 0);
    }

    public static byte[] utf8(String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        return lengthPrefixed(raw);
    }

    public static byte[] lengthPrefixed(byte[] raw) {
        byte[] out = new byte[raw.length + 2];
        out[0] = (byte) (raw.length >> 8);
        out[1] = (byte) raw.length;
        System.arraycopy(raw, 0, out, 2, raw.length);
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** CONNECT for MQTT 3.1.1 (level 4) or 5, clean start, no credentials, keep alive 60 s. */
    public static byte[] connect(int level, String clientId) {
        byte[] properties = level == 5 ? new byte[] {0} : new byte[0];
        byte[] body = concat(utf8("MQTT"), new byte[] {(byte) level, 0x02, 0, 60}, properties, utf8(clientId));
        return packet(0x10, body);
    }

    /** Connects and returns the CONNACK. */
    public Packet connect5(String clientId) throws IOException {
        send(connect(5, clientId));
        return read();
    }

    public Packet connect311(String clientId) throws IOException {
        send(connect(4, clientId));
        return read();
    }
}
