package io.specula.testsupport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process Consul HTTP API for discovery tests: {@code /v1/agent/self},
 * {@code /v1/catalog/services} and {@code /v1/health/service/<name>}, with blocking queries
 * (an {@code index} equal to the current one waits for a change or {@code wait}, answers carry
 * {@code X-Consul-Index}), {@code tag}, {@code node-meta}, {@code dc} and {@code filter} (the
 * subset of Consul's expression language tests use: {@code sel == "v"}, {@code sel != "v"},
 * {@code "v" in sel}, {@code sel contains "v"}, joined by {@code and}), an optional ACL token and
 * an optional path prefix (a reverse proxy in front of the agent).
 *
 * <p>The state is the list of service instances as {@code /v1/health/service} shows them
 * ({@code {Node, Service, Checks}}), set by tests with {@link #set}; each change raises the index.
 */
public final class FakeConsul implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern TERM = Pattern.compile(
            "^\\s*(?:([A-Za-z.]+)\\s*(==|!=|contains)\\s*\"([^\"]*)\"|\"([^\"]*)\"\\s+in\\s+([A-Za-z.]+))\\s*$");

    private final Server server = new Server();
    private final ServerConnector connector;
    private ArrayNode instances = JSON.createArrayNode();
    private long index = 1;
    private volatile boolean closed;
    public volatile String datacenter = "dc1";
    /** When set, requests must carry it as {@code X-Consul-Token} (else 403). */
    public volatile String requiredToken;
    /** When set, requests must carry these basic-auth credentials ({@code user:pass}) (else 401). */
    public volatile String requiredBasicAuth;
    /** Prefix the API is served under ({@code ""} for none). */
    public volatile String pathPrefix = "";
    public final List<String> requests = new CopyOnWriteArrayList<>();

    public FakeConsul() throws Exception {
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
        server.start();
    }

    /** {@code host:port} (Consul's {@code server} setting). */
    public String address() {
        return "127.0.0.1:" + connector.getLocalPort();
    }

    /** Replaces all service instances (a JSON array of {@code {Node, Service, Checks}}) and raises the index. */
    public synchronized void set(String jsonArray) {
        instances = (ArrayNode) JSON.readTree(jsonArray);
        index++;
        notifyAll();
    }

    /** Loads {@code io/specula/testsupport/consul/<name>} from the class path, as {@link #set}. */
    public void load(String name) throws java.io.IOException {
        try (var in = FakeConsul.class.getResourceAsStream("consul/" + name)) {
            if (in == null) {
                throw new java.io.FileNotFoundException("fixture " + name);
            }
            set(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    public synchronized long index() {
        return index;
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        requests.add(path + (query == null ? "" : "?" + query));
        if (!path.startsWith(pathPrefix + "/v1/")) {
            reply(response, callback, 404, "text/plain", "", -1);
            return;
        }
        path = path.substring(pathPrefix.length());
        String token = requiredToken;
        if (token != null && !token.equals(request.getHeaders().get("X-Consul-Token"))) {
            reply(response, callback, 403, "text/plain", "ACL not found", -1);
            return;
        }
        String basic = requiredBasicAuth;
        if (basic != null && !("Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)))
                .equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            reply(response, callback, 401, "text/plain", "Unauthorized", -1);
            return;
        }
        Fields params = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        String dc = params.getValue("dc");
        if (dc != null && !dc.equals(datacenter)) {
            reply(response, callback, 500, "text/plain", "No path to datacenter", -1);
            return;
        }
        if (path.equals("/v1/agent/self")) {
            reply(response, callback, 200, "application/json",
                    "{\"Config\":{\"Datacenter\":\"" + datacenter + "\",\"NodeName\":\"agent-1\"},\"Member\":{}}", -1);
            return;
        }
        ArrayNode snapshot;
        long at;
        synchronized (this) {
            long wanted = params.getValue("index") == null ? 0 : Long.parseLong(params.getValue("index"));
            long deadline = System.currentTimeMillis() + Math.min(waitMillis(params.getValue("wait")), 600_000);
            while (wanted > 0 && wanted == index && !closed && System.currentTimeMillis() < deadline) {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            }
            snapshot = instances;
            at = index;
        }
        List<String> nodeMeta = params.getValues("node-meta") == null ? List.of() : params.getValues("node-meta");
        List<String> filters = params.getValue("filter") == null ? List.of() : List.of(params.getValue("filter"));
        try {
            if (path.equals("/v1/catalog/services")) {
                ObjectNode out = JSON.createObjectNode();
                for (JsonNode i : snapshot) {
                    if (!nodeMetaMatches(i, nodeMeta) || !matches(catalogView(i), filters)) {
                        continue;
                    }
                    String name = i.path("Service").path("Service").asString();
                    ArrayNode tags = out.has(name) ? (ArrayNode) out.get(name) : out.putArray(name);
                    for (JsonNode t : i.path("Service").path("Tags")) {
                        boolean seen = false;
                        for (JsonNode have : tags) {
                            seen |= have.asString().equals(t.asString());
                        }
                        if (!seen) {
                            tags.add(t.asString());
                        }
                    }
                }
                reply(response, callback, 200, "application/json", JSON.writeValueAsString(out), at);
                return;
            }
            Matcher m = Pattern.compile("^/v1/health/service/([^/]+)$").matcher(path);
            if (m.matches()) {
                String name = java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
                List<String> tags = params.getValues("tag") == null ? List.of() : params.getValues("tag");
                ArrayNode out = JSON.createArrayNode();
                for (JsonNode i : snapshot) {
                    if (!i.path("Service").path("Service").asString().equals(name) || !nodeMetaMatches(i, nodeMeta)) {
                        continue;
                    }
                    List<String> have = new ArrayList<>();
                    i.path("Service").path("Tags").forEach(t -> have.add(t.asString()));
                    if (have.containsAll(tags) && matches(i, filters)) {
                        out.add(i);
                    }
                }
                reply(response, callback, 200, "application/json", JSON.writeValueAsString(out), at);
                return;
            }
        } catch (IllegalArgumentException badFilter) {
            reply(response, callback, 400, "text/plain", "Failed to create boolean expression evaluator: " + badFilter.getMessage(), -1);
            return;
        }
        reply(response, callback, 404, "text/plain", "", -1);
    }

    /** The fields {@code /v1/catalog/services} filters see for an instance. */
    private static JsonNode catalogView(JsonNode i) {
        ObjectNode v = JSON.createObjectNode();
        v.put("ServiceName", i.path("Service").path("Service").asString());
        v.set("ServiceTags", i.path("Service").path("Tags"));
        v.set("ServiceMeta", i.path("Service").path("Meta"));
        v.put("ServiceID", i.path("Service").path("ID").asString());
        v.put("Node", i.path("Node").path("Node").asString());
        v.set("NodeMeta", i.path("Node").path("Meta"));
        return v;
    }

    private static boolean nodeMetaMatches(JsonNode i, List<String> nodeMeta) {
        for (String kv : nodeMeta) {
            int c = kv.indexOf(':');
            String k = c < 0 ? kv : kv.substring(0, c);
            String v = c < 0 ? "" : kv.substring(c + 1);
            if (!i.path("Node").path("Meta").path(k).asString("\u0000").equals(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(JsonNode o, List<String> filters) {
        for (String f : filters) {
            for (String term : f.split("\\s+and\\s+")) {
                Matcher t = TERM.matcher(term);
                if (!t.matches()) {
                    throw new IllegalArgumentException("unsupported expression: " + term);
                }
                boolean ok;
                if (t.group(4) != null) {
                    ok = contains(select(o, t.group(5)), t.group(4));
                } else {
                    JsonNode v = select(o, t.group(1));
                    ok = switch (t.group(2)) {
                        case "==" -> v.isValueNode() && v.asString().equals(t.group(3));
                        case "!=" -> !(v.isValueNode() && v.asString().equals(t.group(3)));
                        default -> contains(v, t.group(3));
                    };
                }
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static JsonNode select(JsonNode o, String selector) {
        JsonNode v = o;
        for (String part : selector.split("\\.")) {
            v = v.path(part);
        }
        return v;
    }

    private static boolean contains(JsonNode v, String s) {
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (e.asString().equals(s)) {
                    return true;
                }
            }
            return false;
        }
        if (v.isObject()) {
            return v.has(s);
        }
        return v.isString() && v.asString().contains(s);
    }

    private static long waitMillis(String wait) {
        if (wait == null || wait.isEmpty()) {
            return 300_000; // Consul's default wait
        }
        Matcher m = Pattern.compile("^(\\d+)(ms|s|m)$").matcher(wait);
        if (!m.matches()) {
            return 300_000;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            default -> n * 60_000;
        };
    }

    private static void reply(Response response, Callback callback, int status, String type, String body, long index) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        if (index >= 0) {
            response.getHeaders().put("X-Consul-Index", Long.toString(index));
            response.getHeaders().put("X-Consul-Knownleader", "true");
            response.getHeaders().put("X-Consul-Lastcontact", "0");
        }
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    @Override
    public void close() throws Exception {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        server.stop();
    }
}
