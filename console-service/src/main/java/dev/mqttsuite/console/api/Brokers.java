package dev.mqttsuite.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The configured brokers' admin APIs, asked in parallel. Each broker answers for the clients and sessions it owns;
 * a paged list across brokers is merged in the API's own order: by cursor ({@link #cursorPage}, any depth), or by
 * page number, where page {@code p} needs the first {@code (p+1)*size} items of each broker (capped at the API's 500).
 */
@Singleton
public class Brokers {

    /** The API's largest page. */
    public static final int MAX_PAGE = 500;

    private final AdminApis apis;

    public Brokers(AdminApis apis) {
        this.apis = apis;
    }

    public List<URI> urls() {
        return apis.config().brokerUrls();
    }

    /** The same GET on every broker, in configuration order. */
    public List<ApiResponse> getAll(String path, String authorization) {
        List<CompletableFuture<ApiResponse>> calls = new ArrayList<>();
        for (URI url : urls()) {
            calls.add(apis.get(url, path, authorization));
        }
        return calls.stream().map(CompletableFuture::join).toList();
    }

    /** The same request on every broker, in configuration order. */
    public List<ApiResponse> callAll(String method, String path, String authorization, Object body) {
        List<CompletableFuture<ApiResponse>> calls = new ArrayList<>();
        for (URI url : urls()) {
            calls.add(apis.call(method, url, path, authorization, body, null));
        }
        return calls.stream().map(CompletableFuture::join).toList();
    }

    /**
     * A merged page of a paged list ({@code {"items","total"}}), plus the errors of the brokers that failed. With
     * cursor paging, {@code nextAfter} / {@code previousBefore} are the cursors of the neighbour pages.
     */
    public record Page(List<JsonNode> items, long total, int page, int size, List<String> errors, boolean hasNext,
            boolean hasPrevious, String nextAfter, String previousBefore) {

        Page(List<JsonNode> items, long total, int page, int size, List<String> errors) {
            this(items, total, page, size, errors, (long) (page + 1) * size < total, page > 0, null, null);
        }

        public int next() {
            return page + 1;
        }

        public int previous() {
            return Math.max(0, page - 1);
        }
    }

    /**
     * A page of a list sorted by {@code key} (the brokers' {@code after}/{@code before} cursors), merged across
     * brokers: each broker is asked for at most {@code size + 1} entries from the cursor on (no page skipping, so any
     * depth costs the same), the answers are merged and the first {@code size} (after a cursor or from the start) or
     * the last {@code size} (before a cursor) kept. {@code page} is only the page number shown.
     */
    public Page cursorPage(String path, java.util.Map<String, ?> params, int page, int size, String after,
            String before, java.util.function.Function<JsonNode, String> key, String authorization) {
        java.util.Map<String, Object> query = new java.util.LinkedHashMap<>(params);
        query.put("after", after);
        query.put("before", before);
        int ask = Math.min(size + 1, MAX_PAGE);
        query.put("size", ask);
        Merged answers = merge(getAll(path + AdminApis.query(query), authorization), ask, new ArrayList<>());
        List<JsonNode> merged = answers.items();
        merged.sort(Comparator.comparing(key));
        boolean more = merged.size() > size || answers.aBrokerHasMore();
        long total = answers.total();
        List<String> errors = answers.errors();
        List<JsonNode> items = before != null ? merged.subList(Math.max(0, merged.size() - size), merged.size())
                : merged.subList(0, Math.min(size, merged.size()));
        boolean hasNext = before != null || more;
        boolean hasPrevious = before != null ? more : after != null;
        String nextAfter = items.isEmpty() ? after : key.apply(items.get(items.size() - 1));
        String previousBefore = items.isEmpty() ? before : key.apply(items.get(0));
        return new Page(List.copyOf(items), total, before != null && !more ? 0 : page, size, errors, hasNext,
                hasPrevious, nextAfter, previousBefore);
    }

    /**
     * Page {@code page} of {@code size} of a list resource ({@code path} without query, {@code params} its filters),
     * merged across brokers with {@code order}.
     */
    public Page page(String path, java.util.Map<String, ?> params, int page, int size, Comparator<JsonNode> order,
            String authorization) {
        String filters = AdminApis.query(params);
        String query = filters.isEmpty() ? "" : filters.substring(1) + "&";
        List<URI> urls = urls();
        List<String> errors = new ArrayList<>();
        if (urls.size() == 1) {
            ApiResponse r = apis.get(urls.get(0), path + "?" + query + "page=" + page + "&size=" + size,
                    authorization).join();
            if (!r.ok()) {
                return new Page(List.of(), 0, page, size, List.of(urls.get(0) + ": " + r.message()));
            }
            List<JsonNode> items = new ArrayList<>();
            r.body().path("items").forEach(items::add);
            return new Page(items, r.body().path("total").asLong(), page, size, errors);
        }
        int want = (page + 1) * size;
        if (want > MAX_PAGE) {
            errors.add("across several brokers only the first " + MAX_PAGE + " entries can be paged through: "
                    + "narrow the search");
        }
        int ask = Math.min(want, MAX_PAGE);
        Merged answers = merge(getAll(path + "?" + query + "page=0&size=" + ask, authorization), ask, errors);
        List<JsonNode> merged = answers.items();
        merged.sort(order);
        int from = Math.min(page * size, merged.size());
        int to = Math.min(from + size, merged.size());
        return new Page(List.copyOf(merged.subList(from, to)), answers.total(), page, size, errors);
    }

    /** The brokers' answers to one listing: their items together, the sum of their totals, the failures. */
    private record Merged(List<JsonNode> items, long total, List<String> errors, boolean aBrokerHasMore) {
    }

    /** Merges the answers (in configuration order); {@code ask}: the page size asked, to tell whether more remain. */
    private Merged merge(List<ApiResponse> answers, int ask, List<String> errors) {
        List<URI> urls = urls();
        List<JsonNode> items = new ArrayList<>();
        long total = 0;
        boolean more = false;
        for (int i = 0; i < answers.size(); i++) {
            ApiResponse r = answers.get(i);
            if (!r.ok()) {
                errors.add(urls.get(i) + ": " + r.message());
                continue;
            }
            r.body().path("items").forEach(items::add);
            more |= r.body().path("items").size() >= ask;
            total += r.body().path("total").asLong();
        }
        return new Merged(items, total, errors, more);
    }
}
