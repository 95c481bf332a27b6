package io.specula.testsupport.kube;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
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
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process Kubernetes API server on loopback, faithful to the parts discovery uses: list
 * (resourceVersion, {@code limit}/{@code continue}, label and field selectors), watch as a
 * chunked stream of JSON lines (ADDED, MODIFIED, DELETED, BOOKMARK with
 * {@code allowWatchBookmarks}, {@code timeoutSeconds}), 410 Gone for a resourceVersion older
 * than the last {@link #compact()}, namespaced and cluster-wide paths, get of one object, and
 * the discovery documents {@code kubectl} reads first ({@code /api}, {@code /apis}, resource
 * lists). Core v1 nodes, pods, services, endpoints, namespaces; discovery.k8s.io/v1
 * endpointslices; networking.k8s.io/v1 ingresses.
 *
 * <p>{@link #stop()} and {@link #start()} restart it on the same port with its objects kept, as
 * an API server restarting in front of the same etcd. Thread-safe.
 */
public final class FakeKubeApiServer implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** One resource type: group ("" for core), version, plural, kind, scope. */
    public record Resource(String group, String version, String plural, String kind, boolean namespaced) {
        String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    public static final List<Resource> RESOURCES = List.of(
            new Resource("", "v1", "nodes", "Node", false),
            new Resource("", "v1", "namespaces", "Namespace", false),
            new Resource("", "v1", "pods", "Pod", true),
            new Resource("", "v1", "services", "Service", true),
            new Resource("", "v1", "endpoints", "Endpoints", true),
            new Resource("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true),
            new Resource("networking.k8s.io", "v1", "ingresses", "Ingress", true));

    private record Event(long rv, Resource res, String type, ObjectNode obj, ObjectNode old) {}

    private final Object lock = new Object();
    private final Map<String, TreeMap<String, ObjectNode>> objects = new HashMap<>();
    private final List<Event> log = new ArrayList<>();
    private long rv = 1000;
    private long oldestWatchable = 0;
    private boolean stopping;
    private Server server;
    private int port;

    /** How often open watches that asked for them get a BOOKMARK (default 1 minute, as the API server). */
    public volatile long bookmarkIntervalMillis = 60_000;
    public final AtomicInteger lists = new AtomicInteger();
    public final AtomicInteger watches = new AtomicInteger();
    /** Every request, counted (a client must not spin against a server that is down or failing). */
    public final AtomicInteger requests = new AtomicInteger();
    /** When positive, list and watch answer with this HTTP status (an API server in trouble). */
    public volatile int failWith;
    /** When set, requests without exactly this Authorization header get 401. */
    public volatile String requiredAuthorization;
    /** The Authorization header of the last request. */
    public volatile String lastAuthorization;

    private final java.nio.file.Path keyStore;

    public FakeKubeApiServer() throws Exception {
        this(null);
    }

    /** Serving HTTPS with the certificate in {@code keyStore} (PKCS12, password {@code changeit}), when given. */
    public FakeKubeApiServer(java.nio.file.Path keyStore) throws Exception {
        this.keyStore = keyStore;
        for (Resource r : RESOURCES) {
            objects.put(r.plural, new TreeMap<>());
        }
        start();
    }

    public String url() {
        return (keyStore == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts (again) on the same port; objects and history are kept. */
    public void start() throws Exception {
        synchronized (lock) {
            stopping = false;
        }
        Server s = new Server();
        ServerConnector c;
        if (keyStore == null) {
            c = new ServerConnector(s);
        } else {
            org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
            ssl.setKeyStorePath(keyStore.toString());
            ssl.setKeyStorePassword("changeit");
            ssl.setKeyStoreType("PKCS12");
            c = new ServerConnector(s, ssl);
        }
        c.setHost("127.0.0.1");
        c.setPort(port);
        c.setReuseAddress(true);
        s.addConnector(c);
        s.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
        s.start();
        port = c.getLocalPort();
        server = s;
    }

    /** Stops listening and ends every open watch. */
    public void stop() throws Exception {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
        server.stop();
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    // ---- changing objects ----

    /** Creates or replaces an object given as JSON (its kind picks the resource); returns it as stored. */
    public ObjectNode apply(String json) {
        ObjectNode obj = (ObjectNode) JSON.readTree(json);
        Resource res = byKind(obj.path("kind").asString());
        synchronized (lock) {
            ObjectNode meta = (ObjectNode) obj.path("metadata");
            if (res.namespaced && meta.path("namespace").asString("").isEmpty()) {
                meta.put("namespace", "default");
            }
            String key = key(res, obj);
            ObjectNode old = objects.get(res.plural).get(key);
            meta.put("resourceVersion", Long.toString(++rv));
            if (old != null) {
                meta.set("uid", old.path("metadata").path("uid"));
                meta.set("creationTimestamp", old.path("metadata").path("creationTimestamp"));
            } else {
                if (!meta.has("uid")) {
                    meta.put("uid", UUID.randomUUID().toString());
                }
                meta.put("creationTimestamp", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            }
            obj.put("apiVersion", res.apiVersion());
            objects.get(res.plural).put(key, obj);
            log.add(new Event(rv, res, old == null ? "ADDED" : "MODIFIED", obj, old));
            lock.notifyAll();
            return obj.deepCopy();
        }
    }

    /** Deletes an object; false if there was none. */
    public boolean delete(String plural, String namespace, String name) {
        Resource res = byPlural(plural);
        synchronized (lock) {
            ObjectNode old = objects.get(plural).remove(res.namespaced ? namespace + "/" + name : name);
            if (old == null) {
                return false;
            }
            ObjectNode gone = old.deepCopy();
            ((ObjectNode) gone.path("metadata")).put("resourceVersion", Long.toString(++rv));
            log.add(new Event(rv, res, "DELETED", gone, old));
            lock.notifyAll();
            return true;
        }
    }

    /** Forgets history: watches from any earlier resourceVersion, and old continue tokens, get 410 Gone. */
    public void compact() {
        synchronized (lock) {
            oldestWatchable = rv;
        }
    }

    public long resourceVersion() {
        synchronized (lock) {
            return rv;
        }
    }

    private static Resource byKind(String kind) {
        for (Resource r : RESOURCES) {
            if (r.kind.equals(kind)) {
                return r;
            }
        }
        throw new IllegalArgumentException("fake API server has no kind " + kind);
    }

    private static Resource byPlural(String plural) {
        for (Resource r : RESOURCES) {
            if (r.plural.equals(plural)) {
                return r;
            }
        }
        throw new IllegalArgumentException("fake API server has no resource " + plural);
    }

    private static String key(Resource res, JsonNode obj) {
        String name = obj.path("metadata").path("name").asString();
        return res.namespaced ? obj.path("metadata").path("namespace").asString() + "/" + name : name;
    }

    // ---- serving ----

    private void serve(Request request, Response response, Callback callback) throws Exception {
        requests.incrementAndGet();
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        lastAuthorization = auth;
        if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
            status(response, callback, 401, "Unauthorized", "Unauthorized");
            return;
        }
        String path = request.getHttpURI().getPath();
        Fields q = Request.extractQueryParameters(request);
        String[] p = path.replaceAll("/+$", "").split("/");
        // p[0] is "", then api/v1/... or apis/group/version/...
        List<String> rest;
        Resource res;
        String groupVersion;
        if (p.length >= 2 && p[1].equals("api")) {
            if (p.length == 2) {
                send(response, callback, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
                        + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:" + port + "\"}]}");
                return;
            }
            groupVersion = p[2];
            rest = List.of(p).subList(3, p.length);
        } else if (p.length >= 2 && p[1].equals("apis")) {
            if (p.length == 2) {
                send(response, callback, 200, groupList());
                return;
            }
            if (p.length < 4) {
                notFound(response, callback, path);
                return;
            }
            groupVersion = p[2] + "/" + p[3];
            rest = List.of(p).subList(4, p.length);
        } else if (path.equals("/version")) {
            send(response, callback, 200, "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-fake\",\"platform\":\"linux/amd64\"}");
            return;
        } else {
            notFound(response, callback, path);
            return;
        }
        if (rest.isEmpty()) {
            String list = resourceList(groupVersion);
            if (list == null) {
                notFound(response, callback, path);
            } else {
                send(response, callback, 200, list);
            }
            return;
        }
        // [plural] [plural name] [namespaces ns plural] [namespaces ns plural name]
        String ns = "";
        String plural;
        String name = null;
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            ns = rest.get(1);
            plural = rest.get(2);
            name = rest.size() >= 4 ? rest.get(3) : null;
        } else {
            plural = rest.get(0);
            name = rest.size() >= 2 ? rest.get(1) : null;
        }
        res = null;
        for (Resource r : RESOURCES) {
            if (r.plural.equals(plural) && r.apiVersion().equals(groupVersion) && (r.namespaced || ns.isEmpty())) {
                res = r;
            }
        }
        if (res == null || !request.getMethod().equals("GET")) {
            notFound(response, callback, path);
            return;
        }
        if (failWith > 0) {
            status(response, callback, failWith, "InternalError", "injected failure");
            return;
        }
        if (name != null) {
            getOne(response, callback, res, ns, name);
            return;
        }
        KubeSelector labels;
        KubeSelector fields;
        try {
            labels = KubeSelector.label(q.getValue("labelSelector"));
            fields = KubeSelector.field(q.getValue("fieldSelector"));
        } catch (IllegalArgumentException e) {
            status(response, callback, 400, "BadRequest", e.getMessage());
            return;
        }
        String watch = q.getValue("watch");
        if ("true".equals(watch) || "1".equals(watch)) {
            watches.incrementAndGet();
            watch(response, callback, res, ns, labels, fields, q);
        } else {
            lists.incrementAndGet();
            list(response, callback, res, ns, labels, fields, q);
        }
    }

    private boolean matches(JsonNode obj, Resource res, String ns, KubeSelector labels, KubeSelector fields) {
        if (res.namespaced && !ns.isEmpty() && !ns.equals(obj.path("metadata").path("namespace").asString())) {
            return false;
        }
        JsonNode ls = obj.path("metadata").path("labels");
        if (!labels.matches(k -> ls.has(k) ? ls.get(k).asString() : null)) {
            return false;
        }
        return fields.matches(k -> {
            JsonNode cur = obj;
            for (String part : k.split("\\.")) {
                cur = cur.path(part);
            }
            return cur.isMissingNode() || cur.isNull() ? "" : cur.asString();
        });
    }

    private void getOne(Response response, Callback callback, Resource res, String ns, String name) {
        ObjectNode o;
        synchronized (lock) {
            o = objects.get(res.plural).get(res.namespaced ? ns + "/" + name : name);
        }
        if (o == null) {
            status(response, callback, 404, "NotFound", res.plural + " \"" + name + "\" not found");
            return;
        }
        send(response, callback, 200, withKind(o, res).toString());
    }

    private void list(Response response, Callback callback, Resource res, String ns, KubeSelector labels,
            KubeSelector fields, Fields q) {
        int limit = q.getValue("limit") == null ? 0 : Integer.parseInt(q.getValue("limit"));
        String cont = q.getValue("continue");
        ObjectNode out = F.objectNode();
        out.put("kind", res.kind + "List");
        out.put("apiVersion", res.apiVersion());
        ObjectNode meta = out.putObject("metadata");
        ArrayNode items = out.putArray("items");
        synchronized (lock) {
            long listRv = rv;
            String after = null;
            if (cont != null && !cont.isEmpty()) {
                String[] t = new String(Base64.getUrlDecoder().decode(cont), StandardCharsets.UTF_8).split("\u0000", 2);
                listRv = Long.parseLong(t[0]);
                after = t[1];
                if (listRv < oldestWatchable) {
                    status(response, callback, 410, "Expired", "The provided continue parameter is too old to display a "
                            + "consistent list result. You can start a new list without the continue parameter.");
                    return;
                }
            }
            var view = after == null ? objects.get(res.plural) : objects.get(res.plural).tailMap(after, false);
            String last = null;
            int remaining = 0;
            for (Map.Entry<String, ObjectNode> e : view.entrySet()) {
                if (!matches(e.getValue(), res, ns, labels, fields)) {
                    continue;
                }
                if (limit > 0 && items.size() >= limit) {
                    remaining++;
                    continue;
                }
                items.add(e.getValue().deepCopy().without("kind").without("apiVersion"));
                last = e.getKey();
            }
            meta.put("resourceVersion", Long.toString(listRv));
            if (remaining > 0) {
                meta.put("continue", Base64.getUrlEncoder().encodeToString((listRv + "\u0000" + last).getBytes(StandardCharsets.UTF_8)));
                meta.put("remainingItemCount", remaining);
            }
        }
        send(response, callback, 200, out.toString());
    }

    private ObjectNode withKind(ObjectNode o, Resource res) {
        ObjectNode c = F.objectNode();
        c.put("kind", res.kind);
        c.put("apiVersion", res.apiVersion());
        o.properties().forEach(e -> {
            if (!e.getKey().equals("kind") && !e.getKey().equals("apiVersion")) {
                c.set(e.getKey(), e.getValue());
            }
        });
        return c;
    }

    private void watch(Response response, Callback callback, Resource res, String ns, KubeSelector labels,
            KubeSelector fields, Fields q) throws Exception {
        String from = q.getValue("resourceVersion");
        boolean bookmarks = "true".equals(q.getValue("allowWatchBookmarks"));
        long timeout = q.getValue("timeoutSeconds") == null ? 1800 : Long.parseLong(q.getValue("timeoutSeconds"));
        long deadline = System.currentTimeMillis() + timeout * 1000;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        List<String> initial = new ArrayList<>();
        int pos;
        synchronized (lock) {
            if (from == null || from.isEmpty() || from.equals("0")) {
                // "any version": the current objects as ADDED, then what follows
                for (ObjectNode o : objects.get(res.plural).values()) {
                    if (matches(o, res, ns, labels, fields)) {
                        initial.add(event("ADDED", withKind(o, res)));
                    }
                }
                pos = log.size();
            } else {
                long start = Long.parseLong(from);
                if (start < oldestWatchable) {
                    ObjectNode st = statusNode(410, "Expired", "too old resource version: " + start + " (" + oldestWatchable + ")");
                    write(response, event("ERROR", st), true);
                    callback.succeeded();
                    return;
                }
                pos = 0;
                while (pos < log.size() && log.get(pos).rv <= start) {
                    pos++;
                }
            }
        }
        // The API server sends a watch's headers at once, before any event.
        write(response, "", false);
        for (String line : initial) {
            write(response, line, false);
        }
        long nextBookmark = System.currentTimeMillis() + bookmarkIntervalMillis;
        try {
            while (true) {
                List<String> out = new ArrayList<>();
                synchronized (lock) {
                    while (pos >= log.size() && !stopping) {
                        long now = System.currentTimeMillis();
                        long until = Math.min(deadline, bookmarks ? nextBookmark : deadline);
                        if (now >= until) {
                            break;
                        }
                        lock.wait(until - now);
                    }
                    if (stopping) {
                        // A server going away cuts its connections; it does not end streams politely.
                        callback.failed(new IOException("API server stopping"));
                        return;
                    }
                    for (; pos < log.size(); pos++) {
                        Event e = log.get(pos);
                        if (e.res != res) {
                            continue;
                        }
                        boolean now = matches(e.obj, res, ns, labels, fields);
                        boolean before = e.old != null && matches(e.old, res, ns, labels, fields);
                        String type = switch (e.type) {
                            case "MODIFIED" -> now && before ? "MODIFIED" : now ? "ADDED" : before ? "DELETED" : null;
                            case "DELETED" -> before ? "DELETED" : null;
                            default -> now ? "ADDED" : null;
                        };
                        if (type != null) {
                            out.add(event(type, withKind(e.obj, res)));
                        }
                    }
                    if (bookmarks && System.currentTimeMillis() >= nextBookmark) {
                        ObjectNode b = F.objectNode();
                        b.put("kind", res.kind);
                        b.put("apiVersion", res.apiVersion());
                        b.putObject("metadata").put("resourceVersion", Long.toString(rv));
                        out.add(event("BOOKMARK", b));
                        nextBookmark = System.currentTimeMillis() + bookmarkIntervalMillis;
                    }
                }
                for (String line : out) {
                    write(response, line, false);
                }
                if (System.currentTimeMillis() >= deadline) {
                    break;
                }
            }
            write(response, null, true);
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e); // the client went away
        }
    }

    private static String event(String type, JsonNode obj) {
        ObjectNode e = F.objectNode();
        e.put("type", type);
        e.set("object", obj);
        return e.toString();
    }

    private static void write(Response response, String line, boolean last) throws IOException {
        ByteBuffer buf = line == null || line.isEmpty() ? ByteBuffer.allocate(0)
                : ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        Callback.Completable done = new Callback.Completable();
        response.write(last, buf, done);
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    private static void send(Response response, Callback callback, int code, String body) {
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static ObjectNode statusNode(int code, String reason, String message) {
        ObjectNode s = F.objectNode();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", message);
        s.put("reason", reason);
        s.put("code", code);
        return s;
    }

    private static void status(Response response, Callback callback, int code, String reason, String message) {
        send(response, callback, code, statusNode(code, reason, message).toString());
    }

    private static void notFound(Response response, Callback callback, String path) {
        status(response, callback, 404, "NotFound", "the server could not find the requested resource (" + path + ")");
    }

    private static String groupList() {
        ObjectNode out = F.objectNode();
        out.put("kind", "APIGroupList");
        out.put("apiVersion", "v1");
        ArrayNode groups = out.putArray("groups");
        for (String g : List.of("discovery.k8s.io", "networking.k8s.io")) {
            ObjectNode gn = groups.addObject();
            gn.put("name", g);
            ObjectNode v = F.objectNode().put("groupVersion", g + "/v1").put("version", "v1");
            gn.putArray("versions").add(v);
            gn.set("preferredVersion", v.deepCopy());
        }
        return out.toString();
    }

    private static String resourceList(String groupVersion) {
        ObjectNode out = F.objectNode();
        out.put("kind", "APIResourceList");
        out.put("apiVersion", "v1");
        out.put("groupVersion", groupVersion);
        ArrayNode rs = out.putArray("resources");
        for (Resource r : RESOURCES) {
            if (r.apiVersion().equals(groupVersion)) {
                ObjectNode n = rs.addObject();
                n.put("name", r.plural);
                n.put("singularName", r.kind.toLowerCase(java.util.Locale.ROOT));
                n.put("namespaced", r.namespaced);
                n.put("kind", r.kind);
                n.putArray("verbs").add("get").add("list").add("watch");
            }
        }
        return rs.isEmpty() ? null : out.toString();
    }
}
