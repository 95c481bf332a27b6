package io.specula.testsupport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * An in-process Docker Engine API for discovery tests, on a unix socket and on loopback HTTP at
 * once: {@code /_ping}, {@code /version}, {@code /containers/json}, {@code /containers/{id}/json},
 * {@code /networks}, {@code /services}, {@code /tasks}, {@code /nodes}, with or without a
 * {@code /v1.NN} prefix, and the {@code filters} query parameter as the Engine reads it
 * ({@code {"name":{"value":true}}}; values of one name are alternatives, names must all match;
 * an unknown filter name is a 400 "invalid filter"). Containers are listed only when running
 * unless {@code all=1}, as the Engine does. Objects are the Engine's JSON, set by tests with
 * {@link #set}; every request's path and query is recorded.
 */
public final class FakeDockerEngine implements AutoCloseable {
    public static final String API_VERSION = "1.43";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern VERSIONED = Pattern.compile("^/v\\d+\\.\\d+(/.*)$");

    private final Server server = new Server();
    private final ServerConnector tcp;
    private ServerConnector tls;
    /** When set, API calls without this exact Authorization header get 401 (the engine behind an authenticating proxy). */
    public volatile String requiredAuthorization;
    private final Path socket;
    private final Map<String, ArrayNode> objects = new ConcurrentHashMap<>();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** When positive, every API call (not /_ping) answers this status, as an engine in trouble would. */
    public volatile int failWith;

    /** Starts the engine on {@code socket} (a unix-domain socket path) and on 127.0.0.1. */
    public FakeDockerEngine(Path socket) throws Exception {
        this(socket, null, null);
    }

    /** Also serves HTTPS on 127.0.0.1 with the PKCS12 {@code keystore}, when given. */
    public FakeDockerEngine(Path socket, Path keystore, String password) throws Exception {
        this.socket = socket;
        if (keystore != null) {
            org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
            ssl.setKeyStorePath(keystore.toString());
            ssl.setKeyStorePassword(password);
            ssl.setKeyStoreType("PKCS12");
            tls = new ServerConnector(server, ssl);
            tls.setHost("127.0.0.1");
            tls.setPort(0);
            server.addConnector(tls);
        }
        tcp = new ServerConnector(server);
        tcp.setHost("127.0.0.1");
        tcp.setPort(0);
        server.addConnector(tcp);
        UnixDomainServerConnector unix = new UnixDomainServerConnector(server);
        unix.setUnixDomainPath(socket);
        server.addConnector(unix);
        for (String kind : List.of("containers", "networks", "services", "tasks", "nodes")) {
            objects.put(kind, JSON.createArrayNode());
        }
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        server.start();
    }

    /** Replaces the objects of one kind ({@code containers}, {@code networks}, {@code services}, {@code tasks}, {@code nodes}) with a JSON array. */
    public void set(String kind, String jsonArray) {
        if (!objects.containsKey(kind)) {
            throw new IllegalArgumentException("unknown kind " + kind);
        }
        objects.put(kind, (ArrayNode) JSON.readTree(jsonArray));
    }

    /**
     * Replaces every kind at once from a JSON object {@code {"containers": [...], "networks": [...], …}};
     * {@code name} is a file under {@code io/specula/testsupport/docker/} on the class path
     * ({@code state1.json}: an engine that is also a Swarm manager; {@code state2.json}: the same after changes).
     */
    public void load(String name) throws java.io.IOException {
        try (var in = FakeDockerEngine.class.getResourceAsStream("docker/" + name)) {
            if (in == null) {
                throw new java.io.FileNotFoundException("fixture " + name);
            }
            JsonNode all = JSON.readTree(in);
            for (var e : all.properties()) {
                if (!objects.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("unknown kind " + e.getKey() + " in " + name);
                }
                objects.put(e.getKey(), (ArrayNode) e.getValue());
            }
        }
    }

    /** {@code unix:///…} for the socket. */
    public String unixHost() {
        return "unix://" + socket;
    }

    /** {@code http://127.0.0.1:port}. */
    public String httpHost() {
        return "http://127.0.0.1:" + tcp.getLocalPort();
    }

    /** {@code https://127.0.0.1:port} (only with a keystore). */
    public String httpsHost() {
        return "https://127.0.0.1:" + tls.getLocalPort();
    }

    private void serve(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        requests.add(path + (query == null ? "" : "?" + query));
        Matcher v = VERSIONED.matcher(path);
        if (v.matches()) {
            path = v.group(1);
        }
        response.getHeaders().put("API-Version", API_VERSION);
        response.getHeaders().put("Server", "Docker/24.0.7 (linux)");
        if (path.equals("/_ping")) {
            reply(response, callback, 200, "text/plain; charset=utf-8", "OK");
            return;
        }
        String auth = requiredAuthorization;
        if (auth != null && !auth.equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            reply(response, callback, 401, "application/json", "{\"message\":\"unauthorized\"}");
            return;
        }
        if (failWith > 0) {
            reply(response, callback, failWith, "application/json", "{\"message\":\"engine unavailable\"}");
            return;
        }
        Fields params = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        JsonNode filters;
        try {
            String f = params.getValue("filters");
            filters = f == null || f.isEmpty() ? JSON.createObjectNode() : JSON.readTree(f);
        } catch (RuntimeException e) {
            reply(response, callback, 400, "application/json", "{\"message\":\"invalid filter\"}");
            return;
        }
        Matcher inspect = Pattern.compile("^/containers/([^/]+)/json$").matcher(path);
        try {
            switch (path) {
                case "/version" -> reply(response, callback, 200, "application/json",
                        "{\"Version\":\"24.0.7\",\"ApiVersion\":\"" + API_VERSION + "\",\"MinAPIVersion\":\"1.12\",\"Os\":\"linux\",\"Arch\":\"amd64\"}");
                case "/containers/json" -> {
                    boolean all = "1".equals(params.getValue("all")) || "true".equals(params.getValue("all"));
                    list(response, callback, "containers", filters, (c, unused) -> all || "running".equals(text(c, "State")),
                            Map.of("id", FakeDockerEngine::idPrefix, "name", FakeDockerEngine::containerName,
                                    "label", (c, val) -> label(c.path("Labels"), val),
                                    "status", (c, val) -> val.equals(text(c, "State")),
                                    "network", FakeDockerEngine::containerNetwork));
                }
                case "/networks" -> list(response, callback, "networks", filters, (n, u) -> true,
                        Map.of("id", FakeDockerEngine::idPrefix, "name", (n, val) -> text(n, "Name").contains(val),
                                "label", (n, val) -> label(n.path("Labels"), val), "scope", (n, val) -> val.equals(text(n, "Scope"))));
                case "/services" -> list(response, callback, "services", filters, (s, u) -> true,
                        Map.of("id", FakeDockerEngine::idPrefix, "name", (s, val) -> text(s.path("Spec"), "Name").startsWith(val),
                                "label", (s, val) -> label(s.path("Spec").path("Labels"), val),
                                "mode", (s, val) -> s.path("Spec").path("Mode").has(val.equals("global") ? "Global" : "Replicated")));
                case "/tasks" -> list(response, callback, "tasks", filters, (t, u) -> true,
                        Map.of("id", FakeDockerEngine::idPrefix, "label", (t, val) -> label(t.path("Labels"), val),
                                "service", (t, val) -> val.equals(text(t, "ServiceID")) || val.equals(serviceName(text(t, "ServiceID"))),
                                "node", (t, val) -> val.equals(text(t, "NodeID")) || val.equals(nodeHostname(text(t, "NodeID"))),
                                "desired-state", (t, val) -> val.equals(text(t, "DesiredState"))));
                case "/nodes" -> list(response, callback, "nodes", filters, (n, u) -> true,
                        Map.of("id", FakeDockerEngine::idPrefix, "name", (n, val) -> text(n.path("Description"), "Hostname").equals(val),
                                "label", (n, val) -> label(n.path("Description").path("Engine").path("Labels"), val),
                                "node.label", (n, val) -> label(n.path("Spec").path("Labels"), val),
                                "role", (n, val) -> val.equals(text(n.path("Spec"), "Role")),
                                "membership", (n, val) -> val.equals(text(n.path("Spec"), "Membership"))));
                default -> {
                    if (inspect.matches()) {
                        for (JsonNode c : objects.get("containers")) {
                            if (text(c, "Id").equals(inspect.group(1))) {
                                reply(response, callback, 200, "application/json", JSON.writeValueAsString(inspectOf(c)));
                                return;
                            }
                        }
                        reply(response, callback, 404, "application/json", "{\"message\":\"No such container: " + inspect.group(1) + "\"}");
                        return;
                    }
                    reply(response, callback, 404, "application/json", "{\"message\":\"page not found\"}");
                }
            }
        } catch (InvalidFilter e) {
            reply(response, callback, 400, "application/json", "{\"message\":\"invalid filter '" + e.getMessage() + "'\"}");
        }
    }

    /** What {@code GET /containers/{id}/json} shows of a listed container: its labels under {@code Config}. */
    private static JsonNode inspectOf(JsonNode c) {
        var o = JSON.createObjectNode();
        o.put("Id", text(c, "Id"));
        o.put("Name", c.path("Names").path(0).asString(""));
        var config = o.putObject("Config");
        config.set("Labels", c.has("Labels") ? c.get("Labels") : JSON.createObjectNode());
        config.put("Image", text(c, "Image"));
        return o;
    }

    private static final class InvalidFilter extends Exception {
        InvalidFilter(String name) {
            super(name);
        }
    }

    private void list(Response response, Callback callback, String kind, JsonNode filters, BiPredicate<JsonNode, String> base,
            Map<String, BiPredicate<JsonNode, String>> known) throws InvalidFilter {
        for (var e : filters.properties()) {
            if (!known.containsKey(e.getKey())) {
                throw new InvalidFilter(e.getKey());
            }
        }
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode o : objects.get(kind)) {
            if (!base.test(o, "")) {
                continue;
            }
            boolean ok = true;
            for (var e : filters.properties()) {
                List<String> values = new ArrayList<>();
                e.getValue().properties().forEach(v -> values.add(v.getKey()));
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> values.add(v.asString()));
                }
                ok &= values.stream().anyMatch(val -> known.get(e.getKey()).test(o, val));
            }
            if (ok) {
                out.add(o);
            }
        }
        reply(response, callback, 200, "application/json", JSON.writeValueAsString(out));
    }

    private static boolean idPrefix(JsonNode o, String val) {
        String id = o.has("Id") ? text(o, "Id") : text(o, "ID");
        return id.startsWith(val);
    }

    private static boolean containerName(JsonNode c, String val) {
        for (JsonNode n : c.path("Names")) {
            if (n.asString().contains(val)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containerNetwork(JsonNode c, String val) {
        for (var e : c.path("NetworkSettings").path("Networks").properties()) {
            if (e.getKey().equals(val) || text(e.getValue(), "NetworkID").equals(val)) {
                return true;
            }
        }
        return false;
    }

    /** Docker's label filter: {@code key} (present) or {@code key=value}. */
    private static boolean label(JsonNode labels, String val) {
        int eq = val.indexOf('=');
        if (eq < 0) {
            return labels.has(val);
        }
        return labels.has(val.substring(0, eq)) && labels.get(val.substring(0, eq)).asString().equals(val.substring(eq + 1));
    }

    private String serviceName(String id) {
        for (JsonNode s : objects.get("services")) {
            if (text(s, "ID").equals(id)) {
                return text(s.path("Spec"), "Name");
            }
        }
        return null;
    }

    private String nodeHostname(String id) {
        for (JsonNode n : objects.get("nodes")) {
            if (text(n, "ID").equals(id)) {
                return text(n.path("Description"), "Hostname");
            }
        }
        return null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isValueNode() ? v.asString() : "";
    }

    private static void reply(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
