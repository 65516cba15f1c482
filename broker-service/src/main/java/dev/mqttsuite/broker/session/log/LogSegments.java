package dev.mqttsuite.broker.session.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * The files of the session log in its directory: segments {@code segment-N.log} (a header, then frames of
 * {@code [length][CRC32C][records]}) and snapshots {@code snapshot-N.bin} (the sessions as of the start of segment
 * N). Reading a segment stops at the first damaged frame and cuts the file there: a torn tail after a crash costs only
 * the batch whose write had not finished, which nobody was acknowledged for.
 */
final class LogSegments {

    private static final Logger LOG = Logger.getLogger(LogSegments.class);
    static final int MAGIC = 0x4D51534C; // "MQSL"
    static final int VERSION = 1;
    static final int HEADER = 8;
    static final int FRAME_HEADER = 8;
    private static final int MAX_FRAME = 256 << 20;

    private final Path dir;

    LogSegments(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path segment(long n) {
        return dir.resolve(String.format("segment-%016d.log", n));
    }

    Path snapshot(long n) {
        return dir.resolve(String.format("snapshot-%016d.bin", n));
    }

    /** Segment numbers present, ascending, with their files. */
    TreeMap<Long, Path> segments() throws IOException {
        return list("segment-", ".log");
    }

    TreeMap<Long, Path> snapshots() throws IOException {
        return list("snapshot-", ".bin");
    }

    private TreeMap<Long, Path> list(String prefix, String suffix) throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*" + suffix)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    out.put(Long.parseLong(name.substring(prefix.length(), name.length() - suffix.length())), file);
                } catch (NumberFormatException e) {
                    LOG.warnf("Ignoring %s in the session log directory", file);
                }
            }
        }
        return out;
    }

    /**
     * Creates segment {@code n} with its header, written through to disk. A failure (a full disk) removes the file
     * again, so that the next attempt can create it.
     */
    FileChannel create(long n) throws IOException {
        FileChannel channel = FileChannel.open(segment(n), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(VERSION).flip();
            while (header.hasRemaining()) {
                channel.write(header);
            }
            channel.force(true);
        } catch (IOException e) {
            channel.close();
            Files.deleteIfExists(segment(n));
            throw e;
        }
        syncDirectory();
        return channel;
    }

    /** Makes creations, renames and deletions in the directory durable. */
    void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debugf("fsync of directory %s: %s", dir, e.toString()); // not supported everywhere
        }
    }

    /**
     * Reads the frames of a segment in order. A damaged or incomplete frame ends the segment: the file is cut to the
     * last whole frame, with a log line.
     *
     * @return the number of frames read
     */
    long read(Path file, Consumer<List<LogRecord>> sink) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all);
        if (all.length < HEADER || buf.getInt() != MAGIC || buf.getInt() != VERSION) {
            LOG.warnf("Session log segment %s has no valid header (%d bytes): ignored and removed", file, all.length);
            Files.delete(file);
            return 0;
        }
        long frames = 0;
        int frameStart = HEADER;
        String damage = null;
        while (frameStart < all.length) {
            if (all.length - frameStart < FRAME_HEADER) {
                damage = "an incomplete frame header";
                break;
            }
            int length = buf.getInt(frameStart);
            int crc = buf.getInt(frameStart + 4);
            if (length <= 0 || length > MAX_FRAME || length > all.length - frameStart - FRAME_HEADER) {
                damage = "a frame of length " + length + " past the end";
                break;
            }
            CRC32C check = new CRC32C();
            check.update(all, frameStart + FRAME_HEADER, length);
            if ((int) check.getValue() != crc) {
                damage = "a checksum mismatch";
                break;
            }
            List<LogRecord> records = new ArrayList<>();
            try {
                RecordCodec.read(all, frameStart + FRAME_HEADER, length, records::add);
            } catch (IOException | RuntimeException e) {
                damage = "an undecodable frame (" + e.getMessage() + ")";
                break;
            }
            sink.accept(records);
            frames++;
            frameStart += FRAME_HEADER + length;
        }
        if (damage != null) {
            LOG.warnf("Session log segment %s: %s at byte %d of %d; truncating it to the last valid record (the lost"
                    + " batch was never acknowledged)", file, damage, frameStart, all.length);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(frameStart);
                channel.force(true);
            }
        }
        return frames;
    }

    /** Writes one frame at the channel's position. */
    static int writeFrame(FileChannel channel, byte[] payload, int length, ByteBuffer header) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, length);
        header.clear();
        header.putInt(length).putInt((int) crc.getValue()).flip();
        ByteBuffer body = ByteBuffer.wrap(payload, 0, length);
        ByteBuffer[] both = {header, body};
        while (header.hasRemaining() || body.hasRemaining()) {
            channel.write(both);
        }
        return FRAME_HEADER + length;
    }
}
