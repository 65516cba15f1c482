package dev.mqttsuite.broker.admin;

import dev.mqttsuite.broker.session.Session;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The subscriptions of this broker's sessions, and its shared subscription groups. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "subscriptions")
public class SubscriptionsResource {

    @Inject
    BrokerView view;

    @GET
    @Path("/subscriptions")
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @Operation(summary = "Subscriptions of this broker's sessions, by client id then filter, a page at a time")
    public Dtos.Page<Dtos.SubscriptionRow> subscriptions(@QueryParam("q") String query,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        Paging.check(page, size);
        String needle = Paging.blankToNull(query) == null ? null : query.toLowerCase(Locale.ROOT);
        long from = (long) page * size;
        List<Dtos.SubscriptionRow> items = new ArrayList<>();
        long total = 0;
        for (Session session : view.core().sessionsByClientId().values()) {
            if (session.isEnded()) {
                continue;
            }
            boolean clientMatches = needle == null || session.clientId().toLowerCase(Locale.ROOT).contains(needle);
            for (Dtos.Subscription s : BrokerView.subscriptions(session)) {
                if (clientMatches || s.filter().toLowerCase(Locale.ROOT).contains(needle)) {
                    if (total >= from && items.size() < size) {
                        items.add(new Dtos.SubscriptionRow(session.clientId(), s.filter(), s.qos(), s.shareGroup()));
                    }
                    total++;
                }
            }
        }
        return new Dtos.Page<>(items, page, size, total);
    }

    @GET
    @Path("/shared-groups")
    @RolesAllowed({Roles.VIEWER, Roles.ADMIN})
    @Operation(summary = "Shared subscription groups ($share/{group}/{filter}) of this broker and their members")
    public List<Dtos.SharedGroup> sharedGroups() {
        Map<List<String>, TreeSet<String>> groups = new TreeMap<>((a, b) -> {
            int byGroup = a.get(0).compareTo(b.get(0));
            return byGroup != 0 ? byGroup : a.get(1).compareTo(b.get(1));
        });
        for (Session session : view.core().sessionsByClientId().values()) {
            if (session.isEnded()) {
                continue;
            }
            for (Dtos.Subscription s : BrokerView.subscriptions(session)) {
                if (s.shareGroup() != null) {
                    groups.computeIfAbsent(List.of(s.shareGroup(), s.filter()), k -> new TreeSet<>())
                            .add(session.clientId());
                }
            }
        }
        List<Dtos.SharedGroup> result = new ArrayList<>();
        groups.forEach((key, members) -> result.add(new Dtos.SharedGroup(key.get(0), key.get(1),
                List.copyOf(members))));
        return result;
    }
}
