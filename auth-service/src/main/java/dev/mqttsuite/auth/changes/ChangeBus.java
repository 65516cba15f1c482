package dev.mqttsuite.auth.changes;

import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.auth.v1.Change;
import dev.mqttsuite.authcache.LoginDecisionCache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes change events to every connected broker. Each subscriber first gets RESYNC (it may have missed events while
 * it was away), then every change. Events are published after the change's transaction committed.
 */
@ApplicationScoped
public class ChangeBus {

    @Inject
    LoginDecisionCache<AuthenticateReply> loginCache;

    private final BroadcastProcessor<Change> processor = BroadcastProcessor.create();
    private final AtomicLong version = new AtomicLong();

    public Multi<Change> stream() {
        Change resync = Change.newBuilder().setKind(Change.Kind.RESYNC).setVersion(version.get()).build();
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(resync), processor)
                .onOverflow().buffer(10_000);
    }

    /** Announces that these subjects ("user:x", "group:y", "role:z", "anonymous") changed. */
    public void changed(Collection<String> subjects) {
        loginCache.invalidate(); // remembered logins may grant what this change took away
        processor.onNext(Change.newBuilder().setKind(Change.Kind.CHANGED).addAllSubjects(subjects)
                .setVersion(version.incrementAndGet()).build());
    }
}
