package dev.mqttsuite.retained.store.postgres;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mqttsuite.retained.store.ExecutorShutdown;
import dev.mqttsuite.retained.store.RetainedRepository;
import dev.mqttsuite.retained.store.StoreLimitException;
import dev.mqttsuite.retained.store.log.AppendLogRepository;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import javax.sql.DataSource;

/**
 * Retained messages in PostgreSQL, so that several store replicas share one database (high availability). Each
 * topic is stored with its levels as a text array: a filter becomes conditions on the levels it names and on the
 * depth, served by an index on the first two levels, and the result is checked once more with the shared topic
 * algebra. Match results stream through a server-side cursor (fetch size 500) that the caller pulls at its own pace.
 *
 * <p>Limits (count, total bytes) are checked against statistics refreshed at most once a second: with several
 * replicas writing at once they are approximate, by design.
 */
public final class PostgresRepository implements RetainedRepository {

    private static final int FETCH_SIZE = 500;
    private static final int IO_THREADS = 8;

    /**
     * Bounds concurrent database work (and so connections) independently of how many puts arrive at once. Owned by
     * this repository: {@link #close()} ends it.
     */
    private final ExecutorService io = Executors.newFixedThreadPool(IO_THREADS,
            Thread.ofPlatform().name("retained-pg-", 0).daemon(true).factory());

    private final DataSource dataSource;
    private final AppendLogRepository.Limits limits;
    private volatile long[] stats = {0, 0};
    private volatile long statsAt;

    public PostgresRepository(DataSource dataSource, AppendLogRepository.Limits limits) {
        this.dataSource = dataSource;
        this.limits = limits;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS retained_message (topic TEXT PRIMARY KEY, levels TEXT[] NOT NULL,"
                    + " depth INT NOT NULL, message BYTEA NOT NULL, payload_size INT NOT NULL,"
                    + " expires_at BIGINT NOT NULL DEFAULT 0)");
            s.execute("CREATE INDEX IF NOT EXISTS retained_message_levels ON retained_message ((levels[1]),"
                    + " (levels[2]))");
            s.execute("CREATE INDEX IF NOT EXISTS retained_message_expiry ON retained_message (expires_at)"
                    + " WHERE expires_at <> 0");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the retained_message table: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletionStage<Boolean> put(RetainedMessage message) {
        TopicName topic = TopicName.of(message.getTopic());
        if (message.getPayload().size() > limits.maxPayloadSize()) {
            return CompletableFuture.failedFuture(new StoreLimitException("max-payload-size", "payload of "
                    + message.getPayload().size() + " bytes exceeds retained.limits.max-payload-size="
                    + limits.maxPayloadSize()));
        }
        try {
            return CompletableFuture.supplyAsync(() -> message.getPayload().isEmpty() ? delete(message.getTopic())
                    : upsert(topic, message), io);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the PostgreSQL store is closed"));
        }
    }

    private boolean upsert(TopicName topic, RetainedMessage message) {
        long[] current = stats();
        if (current[0] >= limits.maxCount()) {
            throw new StoreLimitException("max-count", "retained.limits.max-count=" + limits.maxCount()
                    + " reached");
        }
        if (current[1] + message.getPayload().size() > limits.maxTotalBytes()) {
            throw new StoreLimitException("max-total-bytes", "retained.limits.max-total-bytes="
                    + limits.maxTotalBytes() + " reached");
        }
        String sql = "INSERT INTO retained_message (topic, levels, depth, message, payload_size, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic) DO UPDATE SET message = EXCLUDED.message,"
                + " payload_size = EXCLUDED.payload_size, expires_at = EXCLUDED.expires_at"
                + " RETURNING (xmax <> 0) AS replaced";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, message.getTopic());
            ps.setArray(2, c.createArrayOf("text", topic.levels().toArray()));
            ps.setInt(3, topic.depth());
            ps.setBytes(4, message.toByteArray());
            ps.setInt(5, message.getPayload().size());
            ps.setLong(6, message.getExpiresAtMillis());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL put failed: " + e.getMessage(), e);
        }
    }

    private boolean delete(String topic) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM retained_message WHERE topic = ?")) {
            ps.setString(1, topic);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL delete failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<RetainedMessage> get(String topic) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT message FROM retained_message WHERE topic = ? AND (expires_at = 0 OR expires_at > ?)")) {
            ps.setString(1, topic);
            ps.setLong(2, System.currentTimeMillis());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(parse(rs.getBytes(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL get failed: " + e.getMessage(), e);
        }
    }

    /** Conditions for a filter: literal levels, the depth, and the '$' rule [MQTT-4.7.2-1]. */
    static String whereClause(TopicFilter filter, List<Object> parameters) {
        StringBuilder where = new StringBuilder("(expires_at = 0 OR expires_at > ?)");
        parameters.add(System.currentTimeMillis());
        boolean multi = false;
        for (int i = 0; i < filter.depth(); i++) {
            String level = filter.level(i);
            if (level.equals("#")) {
                multi = true;
                where.append(" AND depth >= ?");
                parameters.add(i);
                break;
            }
            if (!level.equals("+")) {
                where.append(" AND levels[").append(i + 1).append("] = ?");
                parameters.add(level);
            }
        }
        if (!multi) {
            where.append(" AND depth = ?");
            parameters.add(filter.depth());
        }
        String first = filter.level(0);
        if (first.equals("+") || first.equals("#")) {
            where.append(" AND left(topic, 1) <> '$'");
        }
        return where.toString();
    }

    @Override
    public Iterator<RetainedMessage> match(TopicFilter filter) {
        List<Object> parameters = new ArrayList<>();
        String sql = "SELECT message FROM retained_message WHERE " + whereClause(filter, parameters);
        try {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(false); // a cursor needs a transaction
            PreparedStatement ps = c.prepareStatement(sql);
            ps.setFetchSize(FETCH_SIZE);
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, parameters.get(i));
            }
            ResultSet rs = ps.executeQuery();
            return new CursorIterator(c, ps, rs, filter);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL match failed: " + e.getMessage(), e);
        }
    }

    /** Streams rows; closes the connection when exhausted or closed early. */
    private static final class CursorIterator implements Iterator<RetainedMessage>, AutoCloseable {
        private final Connection connection;
        private final PreparedStatement statement;
        private final ResultSet rows;
        private final TopicFilter filter;
        private RetainedMessage next;
        private boolean closed;

        CursorIterator(Connection connection, PreparedStatement statement, ResultSet rows, TopicFilter filter) {
            this.connection = connection;
            this.statement = statement;
            this.rows = rows;
            this.filter = filter;
        }

        @Override
        public boolean hasNext() {
            try {
                while (next == null && !closed) {
                    if (!rows.next()) {
                        close();
                        break;
                    }
                    RetainedMessage candidate = parse(rows.getBytes(1));
                    if (filter.matches(TopicName.of(candidate.getTopic()))) {
                        next = candidate;
                    }
                }
            } catch (SQLException e) {
                close();
                throw new IllegalStateException("PostgreSQL cursor failed: " + e.getMessage(), e);
            }
            return next != null;
        }

        @Override
        public RetainedMessage next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RetainedMessage out = next;
            next = null;
            return out;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try (connection; statement; rows) {
                connection.commit();
            } catch (SQLException ignored) {
                // the connection goes back to the pool either way
            }
        }
    }

    private static RetainedMessage parse(byte[] bytes) {
        try {
            return RetainedMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long[] stats() {
        long now = System.currentTimeMillis();
        if (now - statsAt > 1000) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(payload_size), 0)"
                            + " FROM retained_message")) {
                rs.next();
                stats = new long[] {rs.getLong(1), rs.getLong(2)};
                statsAt = now;
            } catch (SQLException e) {
                throw new IllegalStateException("PostgreSQL stats failed: " + e.getMessage(), e);
            }
        }
        return stats;
    }

    @Override
    public long count() {
        return stats()[0];
    }

    @Override
    public long payloadBytes() {
        return stats()[1];
    }

    @Override
    public int purgeExpired(long nowMillis, int max) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM retained_message WHERE topic IN (SELECT topic FROM retained_message"
                        + " WHERE expires_at <> 0 AND expires_at <= ? LIMIT ?)")) {
            ps.setLong(1, nowMillis);
            ps.setInt(2, max);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL purge failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long deleteMatching(TopicFilter filter) {
        List<String> topics = new ArrayList<>();
        match(filter).forEachRemaining(m -> topics.add(m.getTopic()));
        long deleted = 0;
        for (String topic : topics) {
            deleted += delete(topic) ? 1 : 0;
        }
        statsAt = 0;
        return deleted;
    }

    /**
     * Lets puts already accepted finish (bounded), then stops the database threads; later puts are refused. The data
     * source belongs to Quarkus.
     */
    @Override
    public void close() {
        ExecutorShutdown.close(io, Duration.ofSeconds(5));
    }

}
