package dev.mqttsuite.console.pages;

import dev.mqttsuite.console.config.ConsoleConfig;
import dev.mqttsuite.console.overview.LiveOverview;
import dev.mqttsuite.console.overview.OverviewCollector;
import dev.mqttsuite.console.security.Caller;
import dev.mqttsuite.console.security.ConsoleSessions;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The overview: brokers, totals, rates and health, refreshed live over server-sent events. */
@Path("/")
public class OverviewPage {

    @Inject
    Template overview;

    @Inject
    Template overviewLive;

    @Inject
    OverviewCollector collector;

    @Inject
    Caller caller;

    @Inject
    ConsoleSessions sessions;

    @Inject
    ConsoleConfig config;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("flash") String flash) {
        LiveOverview live = new LiveOverview(config.overviewSamples())
                .add(collector.collect(Views.auth(caller)).join());
        return overview.data("page", "overview").data("flash", flash)
                .data("live", overviewLive.data("o", live).render());
    }

    /** One HTML fragment per {@code console.overview-interval}; ends when the form session ends. */
    @GET
    @Path("overview/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_HTML)
    public Multi<String> stream() {
        String authorization = Views.auth(caller);
        Optional<String> session = caller.sessionId();
        LiveOverview live = new LiveOverview(config.overviewSamples());
        return Multi.createFrom().ticks().every(config.overviewInterval())
                .onOverflow().drop()
                .select().first(tick -> session.map(sessions::alive).orElse(true))
                .onItem().transformToUniAndConcatenate(tick -> Uni.createFrom()
                        .completionStage(collector.collect(authorization)))
                .map(snapshot -> overviewLive.data("o", live.add(snapshot)).render());
    }
}
