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
 * a paged list across brokers is merged in the API's own order (by client id, or by filter), so page {@code p} needs
 * at most the first {@code (p+1)*size} items of each broker (capped at the API's 500: deeper pages need a search).
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

    /** A merged page of a paged list ({@code {"items","total"}}), plus the errors of the brokers that failed. */
    public record Page(List<JsonNode> items, long total, int page, int size, List<String> errors) {
        public boolean hasNext() {
            return (long) (page + 1) * size < total;
        }

        public boolean hasPrevious() {
            return page > 0;
        }

        public int next() {
            return page + 1;
        }

        public int previous() {
            return page - 1;
        }
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
        List<JsonNode> merged = new ArrayList<>();
        long total = 0;
        if (urls.size() == 1) {
            ApiResponse r = apis.get(urls.get(0), path + "?" + query + "page=" + page + "&size=" + size,
                    authorization).join();
            if (!r.ok()) {
                return new Page(List.of(), 0, page, size, List.of(urls.get(0) + ": " + r.message()));
            }
            r.body().path("items").forEach(merged::add);
            return new Page(merged, r.body().path("total").asLong(), page, size, errors);
        }
        int want = (page + 1) * size;
        if (want > MAX_PAGE) {
            errors.add("across several brokers only the first " + MAX_PAGE + " entries can be paged through: "
                    + "narrow the search");
        }
        List<ApiResponse> answers = getAll(path + "?" + query + "page=0&size=" + Math.min(want, MAX_PAGE),
                authorization);
        for (int i = 0; i < answers.size(); i++) {
            ApiResponse r = answers.get(i);
            if (!r.ok()) {
                errors.add(urls.get(i) + ": " + r.message());
                continue;
            }
            r.body().path("items").forEach(merged::add);
            total += r.body().path("total").asLong();
        }
        merged.sort(order);
        int from = Math.min(page * size, merged.size());
        int to = Math.min(from + size, merged.size());
        return new Page(List.copyOf(merged.subList(from, to)), total, page, size, errors);
    }
}
