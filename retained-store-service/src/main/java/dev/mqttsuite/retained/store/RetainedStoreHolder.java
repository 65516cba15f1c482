package dev.mqttsuite.retained.store;

import dev.mqttsuite.retained.config.StoreConfig;
import dev.mqttsuite.retained.config.StoreLimitsCheck;
import dev.mqttsuite.retained.store.log.AppendLogRepository;
import dev.mqttsuite.retained.store.postgres.PostgresRepository;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Opens the configured storage adapter at startup, runs the bounded expiry sweeps, closes it at shutdown. */
@ApplicationScoped
public class RetainedStoreHolder {

    private static final Logger LOG = Logger.getLogger(RetainedStoreHolder.class);

    @Inject
    StoreConfig config;

    @Inject
    Instance<AgroalDataSource> dataSource;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    private volatile RetainedRepository repository;
    private long sweepTimer = -1;

    @ConfigProperty(name = "quarkus.grpc.server.max-inbound-message-size", defaultValue = "4194304")
    long maxInboundMessage;

    void onStart(@Observes StartupEvent event) {
        StoreConfig.Limits limits = config.limits();
        List<String> problems = StoreLimitsCheck.problems(config.storage(), limits.maxPayloadSize(),
                limits.maxCount(), limits.maxTotalBytes().asLongValue(), Runtime.getRuntime().maxMemory(),
                maxInboundMessage);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Unsafe retained-store limits: " + String.join("; ", problems));
        }
        AppendLogRepository.Limits bounds = new AppendLogRepository.Limits(limits.maxPayloadSize(), limits.maxCount(),
                limits.maxTotalBytes().asLongValue());
        repository = switch (config.storage()) {
            case LOG -> new AppendLogRepository(Path.of(config.dataDir()), config.sync() == StoreConfig.Sync.ALWAYS,
                    config.compaction().minSize().asLongValue(), bounds);
            case POSTGRESQL -> {
                if (!dataSource.isResolvable()) {
                    throw new IllegalStateException("retained.storage=postgresql needs quarkus.datasource.active=true"
                            + " and quarkus.datasource.jdbc.url / username / password");
                }
                yield new PostgresRepository(dataSource.get(), bounds);
            }
        };
        LOG.infof("retained store: %s storage, %d messages", config.storage(), repository.count());
        if (overLimit(repository) == 1) {
            // started anyway: refusing to start would only restart the pod into the same data (a crash loop);
            // growth is refused until deletions and expiry bring the store under its limits
            LOG.warnf("retained store holds %d messages / %d payload bytes, above retained.limits.max-count=%d or"
                    + " retained.limits.max-total-bytes=%d (lowered since they were written): new topics and larger"
                    + " payloads are refused until deletions or expiry bring it under them", repository.count(),
                    repository.payloadBytes(), limits.maxCount(), limits.maxTotalBytes().asLongValue());
        }
        Gauge.builder("retained.messages", repository, RetainedRepository::count)
                .description("Retained messages held").register(registry);
        Gauge.builder("retained.payload.bytes", repository, RetainedRepository::payloadBytes)
                .description("Payload bytes of retained messages").baseUnit("bytes").register(registry);
        Gauge.builder("retained.limit.messages", limits, StoreConfig.Limits::maxCount)
                .description("retained.limits.max-count").register(registry);
        Gauge.builder("retained.limit.payload.bytes", limits, l -> l.maxTotalBytes().asLongValue())
                .description("retained.limits.max-total-bytes").baseUnit("bytes").register(registry);
        Gauge.builder("retained.over.limit", repository, this::overLimit)
                .description("1 while the store holds more than its limits allow (growth refused)").register(registry);
        long interval = config.expiry().interval().toMillis();
        sweepTimer = vertx.setPeriodic(interval, id -> vertx.executeBlocking(() -> {
            int purged = repository.purgeExpired(System.currentTimeMillis(), config.expiry().maxPerSweep());
            if (purged > 0) {
                registry.counter("retained.expired").increment(purged);
            }
            return purged;
        }, false));
    }

    /** 1 when the store holds more than its limits allow (limits lowered since the data was written), else 0. */
    private int overLimit(RetainedRepository open) {
        StoreConfig.Limits limits = config.limits();
        return open.count() > limits.maxCount() || open.payloadBytes() > limits.maxTotalBytes().asLongValue() ? 1
                : 0;
    }

    void onStop(@Observes ShutdownEvent event) {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        if (repository != null) {
            repository.close();
        }
    }

    /**
     * The open storage adapter.
     *
     * @throws StoreStartingException before it is open: the HTTP and gRPC port may already accept calls while the log
     *     is replayed at startup (then also reported by the readiness check)
     */
    public RetainedRepository repository() {
        RetainedRepository open = repository;
        if (open == null) {
            throw new StoreStartingException();
        }
        return open;
    }

    /** Whether the storage is open and serving (readiness). */
    public boolean isOpen() {
        return repository != null;
    }
}
