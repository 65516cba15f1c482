package dev.mqttsuite.auth.grpc;

import dev.mqttsuite.auth.model.AuditEntry;
import dev.mqttsuite.auth.v1.AuditAck;
import dev.mqttsuite.auth.v1.AuditRecord;
import io.grpc.Status;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.Set;

/**
 * Writes the brokers' admin actions (RecordAudit) into the audit log the admin API's {@code GET /api/v1/audit} reads.
 * The actor is marked as coming from a broker ({@value #ACTOR_PREFIX}{@code <user>}) and the detail names the broker
 * node. Only the brokers' own actions on their own entities are accepted: a broker cannot write an entry that looks
 * like a change of users, roles or rules.
 */
@ApplicationScoped
public class BrokerAudit {

    /** What marks an audit entry's actor as an administrator acting through a broker's admin API. */
    public static final String ACTOR_PREFIX = "broker:";

    /** The actions a broker records, each with the entity it acts on. */
    static final Map<String, String> ACTIONS = Map.of("kick", "client", "discard-session", "session",
            "publish", "topic");

    private static final Set<String> REQUIRED = Set.of("actor", "name");
    private static final int MAX_FIELD = 1024;

    @Transactional
    public AuditAck record(AuditRecord request) {
        check("actor", request.getActor());
        check("name", request.getName());
        String entity = ACTIONS.get(request.getAction());
        if (entity == null || !entity.equals(request.getEntity())) {
            throw Status.INVALID_ARGUMENT.withDescription("action/entity must be one of " + ACTIONS
                    + ", was " + request.getAction() + "/" + request.getEntity()).asRuntimeException();
        }
        String node = request.getNode().isBlank() ? "broker" : request.getNode();
        String detail = "node=" + node + (request.getDetail().isBlank() ? "" : "; " + request.getDetail());
        AuditEntry entry = AuditEntry.record(ACTOR_PREFIX + request.getActor(), request.getAction(), entity,
                request.getName(), detail);
        return AuditAck.newBuilder().setId(entry.id).build();
    }

    private static void check(String field, String value) {
        if (REQUIRED.contains(field) && value.isBlank() || value.length() > MAX_FIELD) {
            throw Status.INVALID_ARGUMENT.withDescription(field + " is required, at most " + MAX_FIELD
                    + " characters").asRuntimeException();
        }
    }
}
