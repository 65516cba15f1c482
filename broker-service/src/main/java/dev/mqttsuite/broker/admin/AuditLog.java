package dev.mqttsuite.broker.admin;

/**
 * Where the admin API's actions (kick, discard-session, publish) are recorded: the suite's audit log in the
 * auth-service ({@link GrpcAuditLog}, {@code broker.auth.backend=service}) or this broker's log, category
 * {@code audit} ({@link LoggingAuditLog}). Never blocks the caller.
 */
public interface AuditLog {

    /**
     * @param actor the administrator's user name
     * @param action {@code kick}, {@code discard-session} or {@code publish}
     * @param entity {@code client}, {@code session} or {@code topic}
     * @param name the client id or topic
     * @param detail what else matters (reason, QoS, sizes); never a payload
     */
    void record(String actor, String action, String entity, String name, String detail);
}
