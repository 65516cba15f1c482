package dev.mqttsuite.console;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One small HTTP server standing in for the auth-service, the retained store and a broker: the admin API shapes of
 * the contract, Basic {@value #USER}/{@value #PASSWORD} only, and a record of the calls the console made.
 */
public class FakeAdminApis implements QuarkusTestResourceLifecycleManager {

    public static final String USER = "admin";
    public static final String PASSWORD = "fake-admin-password";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    /** "METHOD path?query Authorization" of every call. */
    public static final List<String> CALLS = new CopyOnWriteArrayList<>();
    static final String SECOND_PREFIX = "/b2";
    /** The second broker's clients: client id -> user. */
    static final NavigableMap<String, String> SECOND_BROKER = new ConcurrentSkipListMap<>();
    /** The URIs of the client listings asked of either broker. */
    static final List<String> LISTING_REQUESTS = new CopyOnWriteArrayList<>();

    /** Connected clients: client id -> user. */
    public static final Map<String, String> CONNECTED = new ConcurrentHashMap<>();
    /** Created entities (POST bodies) by kind. */
    public static final Map<String, JsonObject> CREATED = new ConcurrentHashMap<>();

    /** When set, calls without credentials may read (stands in for a viewer's token in @TestSecurity tests). */
    public static volatile boolean anonymousReads;

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String url = "http://127.0.0.1:" + server.actualPort();
        // two brokers: the first one serves CONNECTED and everything else, the second (under /b2) SECOND_BROKER's
        // clients only (empty unless a test fills it)
        return Map.of("console.auth-service-url", url, "console.retained-store-url", url, "console.broker-urls",
                url + "," + url + SECOND_PREFIX);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            String auth = req.getHeader("Authorization");
            CALLS.add(req.method() + " " + req.uri() + " " + (auth == null ? "-" : auth));
            String path = req.path();
            if (path.equals("/q/health/ready")) {
                json(req, 200, new JsonObject().put("status", "UP"));
                return;
            }
            if (!BASIC.equals(auth) && !(anonymousReads && auth == null && req.method().name().equals("GET"))) {
                json(req, 401, new JsonObject().put("title", "Unauthorized").put("status", 401));
                return;
            }
            String method = req.method().name();
            if (path.startsWith(SECOND_PREFIX + "/")) {
                secondBroker(req, method + " " + path.substring(SECOND_PREFIX.length()));
                return;
            }
            switch (method + " " + path) {
                case "GET /api/v1/anonymous" -> {
                    req.response().putHeader("ETag", "\"3\"");
                    json(req, 200, new JsonObject().put("enabled", false).put("roles", new JsonArray()));
                }
                case "GET /api/v1/overview" -> json(req, 200, new JsonObject().put("node", "broker")
                        .put("version", "test").put("uptimeSeconds", 5).put("connections", CONNECTED.size())
                        .put("sessions", CONNECTED.size()).put("offlineSessions", 0).put("subscriptions", 1)
                        .put("retainedBackend", "service").put("messagesIn", 10).put("messagesOut", 20)
                        .put("messagesDropped", 0).put("clusterMembers", new JsonArray()));
                case "GET /api/v1/clients" -> clients(req, new TreeMap<>(CONNECTED));
                case "GET /api/v1/retained/stats" -> json(req, 200, new JsonObject().put("count", 1)
                        .put("payloadBytes", 5));
                case "GET /api/v1/retained" -> json(req, 200, new JsonObject().put("items", new JsonArray()
                        .add(new JsonObject().put("topic", "sensors/t1").put("qos", 1).put("payloadBase64", "MjEuNQ==")
                                .put("payloadSize", 4))).putNull("next"));
                case "GET /api/v1/users", "GET /api/v1/groups", "GET /api/v1/roles", "GET /api/v1/audit" ->
                        req.response().putHeader("Content-Type", "application/json").end("[]");
                case "POST /api/v1/roles" -> {
                    JsonObject role = body.toJsonObject();
                    if (role.getJsonArray("rules").isEmpty()) {
                        problem(req, 400, "a role needs at least one rule", "rules");
                        return;
                    }
                    CREATED.put("role:" + role.getString("name"), role);
                    json(req, 201, role);
                }
                default -> {
                    if (method.equals("GET") && path.startsWith("/api/v1/clients/")) {
                        String id = path.substring("/api/v1/clients/".length());
                        if (CONNECTED.containsKey(id)) {
                            json(req, 200, client(id, CONNECTED.get(id)).put("subscriptions", new JsonArray())
                                    .putNull("will"));
                        } else {
                            problem(req, 404, "unknown client " + id, null);
                        }
                    } else if (method.equals("DELETE") && path.endsWith("/connection")) {
                        String id = path.substring("/api/v1/clients/".length(), path.length() - "/connection".length());
                        if (CONNECTED.remove(id) != null) {
                            req.response().setStatusCode(204).end();
                        } else {
                            problem(req, 404, "not connected", null);
                        }
                    } else {
                        problem(req, 404, "no such resource in the fake: " + method + " " + path, null);
                    }
                }
            }
        });
    }

    private static void secondBroker(HttpServerRequest req, String request) {
        switch (request) {
            case "GET /api/v1/clients" -> clients(req, SECOND_BROKER);
            case "GET /api/v1/overview" -> json(req, 200, new JsonObject().put("node", "broker-2")
                    .put("version", "test").put("uptimeSeconds", 5).put("connections", SECOND_BROKER.size())
                    .put("sessions", SECOND_BROKER.size()).put("offlineSessions", 0).put("subscriptions", 0)
                    .put("retainedBackend", "service").put("messagesIn", 0).put("messagesOut", 0)
                    .put("messagesDropped", 0).put("clusterMembers", new JsonArray()));
            default -> problem(req, 404, "not on the second broker: " + request, null);
        }
    }

    /** A broker's client listing: sorted by client id, paged by page/size or by the after/before cursors. */
    private static void clients(HttpServerRequest req, NavigableMap<String, String> clients) {
        int size = Integer.parseInt(req.getParam("size", "50"));
        int page = Integer.parseInt(req.getParam("page", "0"));
        String after = req.getParam("after");
        String before = req.getParam("before");
        LISTING_REQUESTS.add(req.uri());
        List<String> ids = after != null ? clients.tailMap(after, false).keySet().stream().limit(size).toList()
                : before != null ? clients.headMap(before, false).descendingKeySet().stream().limit(size).toList()
                        .reversed()
                : clients.keySet().stream().skip((long) page * size).limit(size).toList();
        JsonArray items = new JsonArray();
        ids.forEach(id -> items.add(client(id, clients.get(id))));
        json(req, 200, new JsonObject().put("items", items).put("page", page).put("size", size)
                .put("total", clients.size()));
    }

    private static JsonObject client(String id, String user) {
        return new JsonObject().put("clientId", id).put("username", user).put("address", "127.0.0.1:5000")
                .put("protocolVersion", 5).put("node", "broker").put("connected", true)
                .put("connectedSince", "2026-01-01T00:00:00Z").put("keepAlive", 60).put("sessionExpiry", 0)
                .put("queued", 0).put("inFlight", 0).put("dropped", 0);
    }

    private static void json(HttpServerRequest req, int status, JsonObject body) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static void problem(HttpServerRequest req, int status, String detail, String field) {
        JsonObject p = new JsonObject().put("type", "about:blank").put("title", "Problem").put("status", status)
                .put("detail", detail);
        if (field != null) {
            p.put("field", field);
        }
        req.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json").end(p.encode());
    }
}
