package io.specula.discovery.kubernetes;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps a local copy of one kind of object (in one namespace, or all) by the Kubernetes list and
 * watch protocol: a paginated list gives the objects and a resourceVersion; a watch from that
 * version streams changes, bookmarks move the version on; when the stream ends the watch resumes
 * from the last version seen, and a 410 Gone (version compacted away) triggers a fresh list whose
 * difference to the copy is reported as adds, updates and deletes. Failures back off
 * exponentially (0.8s to 30s, as client-go), so an API server that is down costs a few requests
 * a minute and the copy is kept meanwhile: no targets are lost while it is away.
 *
 * <p>{@link #run} runs on its own thread; the copy ({@link #get}, {@link #objects}) may be read
 * from any thread.
 */
final class Informer {
    private static final Logger LOG = LoggerFactory.getLogger(Informer.class);
    static final long INITIAL_BACKOFF_MILLIS = 800;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final int PAGE_SIZE = 500;

    /** A kind of object: its API path prefix, plural name and the role its events count under. */
    record Kind(String apiPrefix, String plural, boolean namespaced, String metricRole) {
        static final Kind NODES = new Kind("/api/v1", "nodes", false, "node");
        static final Kind PODS = new Kind("/api/v1", "pods", true, "pod");
        static final Kind SERVICES = new Kind("/api/v1", "services", true, "service");
        static final Kind ENDPOINTS = new Kind("/api/v1", "endpoints", true, "endpoints");
        static final Kind ENDPOINTSLICES = new Kind("/apis/discovery.k8s.io/v1", "endpointslices", true, "endpointslice");
        static final Kind INGRESSES = new Kind("/apis/networking.k8s.io/v1", "ingresses", true, "ingress");
        static final Kind NAMESPACES = new Kind("/api/v1", "namespaces", false, null);

        String path(String namespace) {
            return namespaced && !namespace.isEmpty()
                    ? apiPrefix + "/namespaces/" + namespace + "/" + plural
                    : apiPrefix + "/" + plural;
        }
    }

    /** Told of every change to the copy, on the informer's thread. */
    interface Listener {
        /** {@code op} is add, update or delete; {@code obj} the new object (the old one for delete). */
        void changed(Informer source, String op, JsonNode obj);
    }

    final Kind kind;
    private final String namespace;
    private final String labelSelector;
    private final String fieldSelector;
    private final KubeApi api;
    private final Listener listener;
    private final Map<String, JsonNode> store = new ConcurrentHashMap<>();
    private volatile boolean synced;
    private volatile long relists;
    private volatile String resourceVersion = "";

    Informer(KubeApi api, Kind kind, String namespace, String labelSelector, String fieldSelector, Listener listener) {
        this.api = api;
        this.kind = kind;
        this.namespace = namespace;
        this.labelSelector = labelSelector == null ? "" : labelSelector;
        this.fieldSelector = fieldSelector == null ? "" : fieldSelector;
        this.listener = listener;
    }

    /**
     * Drops what no role reads and can be most of an object's size: managedFields (server-side
     * apply bookkeeping, often larger than the rest of a pod) and, of pods, everything but the
     * fields the roles use. (Selectors are evaluated by the API server, on whole objects.)
     */
    private JsonNode trim(JsonNode obj) {
        if (obj.path("metadata") instanceof ObjectNode m) {
            m.remove("managedFields");
        }
        if (kind == Kind.PODS) {
            trimPod(obj);
        }
        return obj;
    }

    /**
     * Keeps of a pod what the roles read: containers' name, image and ports; statuses' name and
     * container ID; node name, phase, IPs, conditions. Environment, volumes, probes and
     * resources usually make up most of a pod and would be held for nothing.
     */
    private static void trimPod(JsonNode pod) {
        if (pod.path("spec") instanceof ObjectNode spec) {
            spec.retain("nodeName", "containers", "initContainers");
            for (String list : new String[] {"containers", "initContainers"}) {
                spec.path(list).forEach(c -> {
                    if (c instanceof ObjectNode o) {
                        o.retain("name", "image", "ports");
                    }
                });
            }
        }
        if (pod.path("status") instanceof ObjectNode status) {
            status.retain("phase", "podIP", "podIPs", "hostIP", "conditions", "containerStatuses", "initContainerStatuses");
            for (String list : new String[] {"containerStatuses", "initContainerStatuses"}) {
                status.path(list).forEach(c -> {
                    if (c instanceof ObjectNode o) {
                        o.retain("name", "containerID");
                    }
                });
            }
        }
    }

    static String key(JsonNode obj) {
        String ns = Meta.namespace(obj);
        return ns.isEmpty() ? Meta.name(obj) : ns + "/" + Meta.name(obj);
    }

    JsonNode get(String key) {
        return store.get(key);
    }

    Iterable<JsonNode> objects() {
        return store.values();
    }

    /** Whether the first list completed. */
    boolean synced() {
        return synced;
    }

    /** The last resourceVersion seen (list, event or bookmark). */
    String resourceVersion() {
        return resourceVersion;
    }

    /** Lists done so far (the first one included). */
    long relists() {
        return relists;
    }

    void run() throws InterruptedException {
        String rv = null;
        String path = kind.path(namespace);
        while (true) {
            try {
                if (rv == null) {
                    rv = list(path);
                    resourceVersion = rv;
                    backoff = INITIAL_BACKOFF_MILLIS;
                }
                long start = System.nanoTime();
                String[] state = {rv, null}; // resourceVersion, error
                int[] events = {0};
                Map<String, String> params = selectorParams();
                params.put("watch", "true");
                params.put("resourceVersion", rv);
                params.put("allowWatchBookmarks", "true");
                int timeout = 300 + ThreadLocalRandom.current().nextInt(300); // client-go: 5 to 10 minutes
                params.put("timeoutSeconds", Integer.toString(timeout));
                api.watch(path, params, timeout, () -> backoff = INITIAL_BACKOFF_MILLIS, ev -> {
                    events[0]++;
                    return apply(ev, state);
                });
                if ("gone".equals(state[1])) {
                    LOG.info("msg=\"Watch resource version too old, listing again\" resource={} namespace=\"{}\"", kind.plural, namespace);
                    rv = null;
                    continue;
                }
                if (state[1] != null) {
                    throw new IOException(state[1]);
                }
                rv = state[0];
                if (events[0] == 0 && System.nanoTime() - start < 5_000_000_000L) {
                    // Ended at once without news: do not spin against such a server.
                    sleepBackoff();
                }
            } catch (KubeApi.ApiException e) {
                if (e.code == 410) {
                    rv = null; // compacted: list again, now
                    continue;
                }
                fail(e);
            } catch (IOException e) {
                // A blocking call may swallow the interrupt: a closed client means stopped, too,
                // not a failure to count and retry.
                if (Thread.currentThread().isInterrupted() || api.closed()) {
                    throw new InterruptedException();
                }
                fail(e);
            }
        }
    }

    /** Current wait after a failure; reset whenever the server accepts a list or a watch. */
    private volatile long backoff = INITIAL_BACKOFF_MILLIS;

    private void sleepBackoff() throws InterruptedException {
        long b = backoff;
        Thread.sleep(b);
        backoff = Math.min(b * 2, MAX_BACKOFF_MILLIS);
    }

    private void fail(IOException e) throws InterruptedException {
        KubernetesMetrics.failure();
        LOG.warn("msg=\"Failed to watch\" resource={} namespace=\"{}\" err=\"{}\" retry_in={}ms", kind.plural, namespace,
                e.getMessage(), backoff);
        sleepBackoff();
    }

    private Map<String, String> selectorParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("labelSelector", labelSelector);
        p.put("fieldSelector", fieldSelector);
        return p;
    }

    /** Lists every page and reconciles the copy with it; returns the list's resourceVersion. */
    private String list(String path) throws IOException, InterruptedException {
        Map<String, JsonNode> fresh = new HashMap<>();
        String cont = "";
        String rv;
        while (true) {
            Map<String, String> params = selectorParams();
            params.put("limit", Integer.toString(PAGE_SIZE));
            params.put("continue", cont);
            JsonNode page;
            try {
                page = api.get(path, params);
            } catch (KubeApi.ApiException e) {
                if (e.code == 410 && !cont.isEmpty()) {
                    fresh.clear(); // continue token expired: start the list over
                    cont = "";
                    continue;
                }
                throw e;
            }
            for (JsonNode item : page.path("items")) {
                fresh.put(key(item), trim(item));
            }
            rv = Meta.text(page, "metadata", "resourceVersion");
            cont = Meta.text(page, "metadata", "continue");
            if (cont.isEmpty()) {
                break;
            }
        }
        relists++;
        for (Map.Entry<String, JsonNode> e : fresh.entrySet()) {
            JsonNode old = store.put(e.getKey(), e.getValue());
            if (old == null) {
                listener.changed(this, "add", e.getValue());
            } else if (!rvOf(old).equals(rvOf(e.getValue()))) {
                listener.changed(this, "update", e.getValue());
            }
        }
        for (Map.Entry<String, JsonNode> e : Map.copyOf(store).entrySet()) {
            if (!fresh.containsKey(e.getKey())) {
                store.remove(e.getKey());
                listener.changed(this, "delete", e.getValue());
            }
        }
        synced = true;
        return rv;
    }

    private static String rvOf(JsonNode obj) {
        return Meta.text(obj, "metadata", "resourceVersion");
    }

    /** Applies one watch event; false ends the watch (state[1] says why). */
    private boolean apply(JsonNode ev, String[] state) {
        String type = Meta.text(ev, "type");
        JsonNode obj = trim(ev.path("object"));
        switch (type) {
            case "ADDED", "MODIFIED" -> {
                JsonNode old = store.put(key(obj), obj);
                state[0] = rvOf(obj);
                resourceVersion = state[0];
                listener.changed(this, old == null ? "add" : "update", obj);
            }
            case "DELETED" -> {
                JsonNode old = store.remove(key(obj));
                state[0] = rvOf(obj);
                resourceVersion = state[0];
                if (old != null) {
                    listener.changed(this, "delete", old);
                }
            }
            case "BOOKMARK" -> {
                state[0] = rvOf(obj);
                resourceVersion = state[0];
            }
            case "ERROR" -> {
                state[1] = obj.path("code").asInt() == 410 ? "gone" : "watch error: " + Meta.text(obj, "message");
                return false;
            }
            default -> {
                state[1] = "unexpected watch event type \"" + type + "\"";
                return false;
            }
        }
        return true;
    }
}
