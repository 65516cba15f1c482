package dev.mqttsuite.broker.support;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A byte-level MQTT client over WebSocket (the JDK's {@link WebSocket}): sends raw MQTT bytes in binary frames of the
 * caller's choice (whole messages, fragments, several packets in one frame, text frames), reads packets from the
 * received byte stream whatever the frame boundaries, and reports the close frame the server sent.
 */
public final class RawWebSocketClient implements AutoCloseable {

    private static final byte[] END = new byte[0];

    private final WebSocket socket;
    private final BlockingQueue<byte[]> received;
    private final CompletableFuture<Integer> closeStatus;
    private final DataInputStream in;

    private RawWebSocketClient(WebSocket socket, BlockingQueue<byte[]> received, CompletableFuture<Integer> closed) {
        this.socket = socket;
        this.received = received;
        this.closeStatus = closed;
        this.in = new DataInputStream(new QueueInputStream(received));
    }

    /** Opens a WebSocket to {@code uri} offering {@code subprotocols} (none when empty). */
    public static RawWebSocketClient connect(URI uri, String... subprotocols) throws Exception {
        return open(HttpClient.newHttpClient(), uri, subprotocols).get(10, TimeUnit.SECONDS);
    }

    /** The handshake as a future: it fails with a {@code WebSocketHandshakeException} when the server refuses. */
    public static CompletableFuture<RawWebSocketClient> open(HttpClient http, URI uri, String... subprotocols) {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                received.add(bytes);
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                received.add(END);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.completeExceptionally(error);
                received.add(END);
            }
        };
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder.buildAsync(uri, listener)
                .thenApply(ws -> new RawWebSocketClient(ws, received, closed));
    }

    /** The subprotocol the server selected. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** One binary message (a single frame with FIN set). */
    public RawWebSocketClient sendBinary(byte[] bytes) throws Exception {
        return sendBinary(bytes, true);
    }

    /** A binary frame; {@code last=false} leaves the message open, the next call sends a continuation frame. */
    public RawWebSocketClient sendBinary(byte[] bytes, boolean last) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), last).get(5, TimeUnit.SECONDS);
        return this;
    }

    public RawWebSocketClient sendText(String text) throws Exception {
        socket.sendText(text, true).get(5, TimeUnit.SECONDS);
        return this;
    }

    /** Reads one MQTT packet from the received bytes (5 s at most), or null when the server closed the WebSocket. */
    public RawMqttClient.Packet read() throws IOException {
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
        return new RawMqttClient.Packet(header, body);
    }

    /** The status code of the server's close frame, waiting up to {@code limit}. */
    public int closeStatus(Duration limit) throws Exception {
        return closeStatus.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits up to {@code limit} for the WebSocket to end: the server's close status, or -1 when the connection ended
     * without a close frame reaching us (e.g. closed while we were still sending).
     */
    public int closedWithin(Duration limit) throws Exception {
        try {
            return closeStatus.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException endedWithoutCloseFrame) {
            return -1;
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    /** The received binary data as one stream; ends at the close frame; a read waits 5 s at most. */
    private static final class QueueInputStream extends InputStream {
        private final BlockingQueue<byte[]> chunks;
        private ByteArrayInputStream current = new ByteArrayInputStream(new byte[0]);
        private boolean ended;

        QueueInputStream(BlockingQueue<byte[]> chunks) {
            this.chunks = chunks;
        }

        @Override
        public int read() throws IOException {
            while (current.available() == 0) {
                if (ended) {
                    return -1;
                }
                byte[] next;
                try {
                    next = chunks.poll(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
                if (next == null) {
                    throw new java.net.SocketTimeoutException("nothing received within 5 s");
                }
                if (next == END) {
                    ended = true;
                } else {
                    current = new ByteArrayInputStream(next);
                }
            }
            return current.read();
        }
    }
}
