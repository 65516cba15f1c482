package dev.mqttsuite.retained.store.log;

import dev.mqttsuite.retained.v1.RetainedMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.BiConsumer;
import java.util.zip.CRC32C;

/**
 * The on-disk record of the retained-message log: {@code int length | int crc32c | byte op | RetainedMessage protobuf},
 * where length counts op and body and the CRC covers them. Writing one, and reading a log up to its last intact record.
 */
final class LogRecords {

    static final byte OP_PUT = 1;
    static final byte OP_DELETE = 2;
    static final int HEADER = 9;

    /** How far a log is intact. */
    record Scan(long validBytes, long records) {
    }

    private LogRecords() {
    }

    static ByteBuffer encode(byte op, RetainedMessage message) {
        byte[] body = message.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(op);
        crc.update(body);
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + body.length);
        buffer.putInt(body.length + 1).putInt((int) crc.getValue()).put(op).put(body).flip();
        return buffer;
    }

    /**
     * Hands every intact record to {@code each} (op, message) in order and stops at the first torn or corrupt one (a
     * crash in the middle of a write); returns how many bytes and records were intact.
     */
    static Scan scan(FileChannel in, BiConsumer<Byte, RetainedMessage> each) throws IOException {
        long size = in.size();
        long valid = 0;
        long records = 0;
        ByteBuffer header = ByteBuffer.allocate(8);
        while (valid + 8 <= size) {
            header.clear();
            readFully(in, header, valid);
            header.flip();
            int length = header.getInt();
            int crcValue = header.getInt();
            if (length < 1 || valid + 8 + length > size) {
                break; // torn tail
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            readFully(in, body, valid + 8);
            body.flip();
            CRC32C crc = new CRC32C();
            crc.update(body.duplicate());
            if ((int) crc.getValue() != crcValue) {
                break; // corrupt tail
            }
            byte op = body.get();
            each.accept(op, RetainedMessage.parseFrom(body));
            valid += 8 + length;
            records++;
        }
        return new Scan(valid, records);
    }

    private static void readFully(FileChannel in, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = in.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of log");
            }
            at += n;
        }
    }
}
