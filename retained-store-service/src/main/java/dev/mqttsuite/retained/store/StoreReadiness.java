package dev.mqttsuite.retained.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the storage is open, i.e. the log replayed: until then puts and reads are answered UNAVAILABLE. */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    @Inject
    RetainedStoreHolder store;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("retained-storage").status(store.isOpen()).build();
    }
}
