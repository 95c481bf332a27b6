package io.specula.discovery.consul;

import io.specula.discovery.Discoverer;
import io.specula.discovery.MetaLabels;
import io.specula.discovery.SdMetrics;
import io.specula.discovery.TargetGroup;
import io.specula.discovery.config.ConsulSdConfig;
import io.specula.httpclient.HttpClients;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.value.GoNet;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code consul_sd_configs}: one group per Consul service (source: the service name), kept up to
 * date with blocking queries ({@code index}, {@code wait=2m}) as Prometheus does.
 *
 * <p>Without a fixed {@code services} list (or with {@code tags}), the catalog's service list is
 * watched and a watcher started for each service that matches (name and every tag); a service
 * that leaves the catalog has its group retracted. Each watcher asks {@code /v1/health/service}
 * and waits {@code refresh_interval} between queries; a failed query is retried after 15 s with
 * the previous targets kept.
 */
public final class ConsulDiscoverer implements Discoverer {
    private static final Logger LOG = LoggerFactory.getLogger(ConsulDiscoverer.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long WATCH_TIMEOUT_MILLIS = 120_000;
    private static final int MAX_BODY = 64 << 20;
    static final String PREFIX = "__meta_consul_";

    private final ConsulSdConfig config;
    private final long retryMillis;
    private final AtomicLong failures = new AtomicLong();
    private String datacenter;

    public ConsulDiscoverer(ConsulSdConfig config) {
        this(config, 15_000);
    }

    /** @param retryMillis pause after a failed query (Prometheus: 15 s) */
    public ConsulDiscoverer(ConsulSdConfig config, long retryMillis) {
        this.config = config;
        this.retryMillis = retryMillis;
        this.datacenter = config.datacenter == null ? "" : config.datacenter;
    }

    /** Failed queries so far ({@code prometheus_sd_consul_rpc_failures_total}). */
    public long failures() {
        return failures.get();
    }

    @Override
    public void run(Sink sink) throws InterruptedException {
        HttpClient client;
        try {
            client = HttpClients.create(config, "consul-sd");
        } catch (HttpClients.ClientConfigException e) {
            LOG.error("msg=\"Cannot create Consul SD client\" server={} err=\"{}\"", config.server, e.getMessage());
            Thread.sleep(Long.MAX_VALUE);
            return;
        }
        // every watched service holds a connection for up to the 2-minute wait of its blocking
        // query; the shared client's small per-host limit would starve all but the first few
        client.setMaxConnectionsPerDestination(1 << 16);
        client.setMaxRequestsQueuedPerDestination(1 << 16);
        Map<String, Thread> watchers = new HashMap<>();
        try {
            while (datacenter.isEmpty()) {
                try {
                    JsonNode self = get(client, "/v1/agent/self", Map.of(), false).body;
                    JsonNode dc = self.path("Config").path("Datacenter");
                    if (!dc.isString()) {
                        throw new IOException("invalid value '" + dc + "' for Config.Datacenter");
                    }
                    datacenter = dc.asString();
                } catch (IOException e) {
                    failures.incrementAndGet();
            SdMetrics.inc(SdMetrics.CONSUL_RPC_FAILURES, null);
                    LOG.error("msg=\"Error retrieving datacenter name\" err=\"{}\"", e.getMessage());
                    Thread.sleep(retryMillis);
                }
            }
            if (config.services().isEmpty() || !config.tags().isEmpty()) {
                long[] lastIndex = {0};
                while (true) {
                    watchCatalog(client, sink, lastIndex, watchers);
                    Thread.sleep(config.refreshInterval.millis());
                }
            }
            for (String name : config.services()) {
                watchers.put(name, startWatcher(client, sink, name));
            }
            Thread.sleep(Long.MAX_VALUE);
        } finally {
            watchers.values().forEach(Thread::interrupt);
            HttpClients.stopQuietly(client);
        }
    }

    private void watchCatalog(HttpClient client, Sink sink, long[] lastIndex, Map<String, Thread> watchers) throws InterruptedException {
        Map<String, List<String>> params = queryParams(lastIndex[0]);
        if (config.filter != null && !config.filter.isEmpty()) {
            params.put("filter", List.of(config.filter));
        }
        Response r;
        try {
            r = get(client, "/v1/catalog/services", params, true);
        } catch (IOException e) {
            failures.incrementAndGet();
            SdMetrics.inc(SdMetrics.CONSUL_RPC_FAILURES, null);
            LOG.error("msg=\"Error refreshing service list\" err=\"{}\"", e.getMessage());
            Thread.sleep(retryMillis);
            return;
        }
        if (r.index == lastIndex[0]) {
            return; // the wait ran out without a change
        }
        lastIndex[0] = r.index;
        Map<String, List<String>> services = new LinkedHashMap<>();
        r.body.properties().forEach(e -> {
            List<String> tags = new ArrayList<>();
            e.getValue().forEach(t -> tags.add(t.asString()));
            services.put(e.getKey(), tags);
        });
        for (Map.Entry<String, List<String>> s : services.entrySet()) {
            if (shouldWatch(s.getKey(), s.getValue()) && !watchers.containsKey(s.getKey())) {
                watchers.put(s.getKey(), startWatcher(client, sink, s.getKey()));
            }
        }
        List<TargetGroup> gone = new ArrayList<>();
        for (var it = watchers.entrySet().iterator(); it.hasNext(); ) {
            var w = it.next();
            if (!services.containsKey(w.getKey())) {
                w.getValue().interrupt();
                it.remove();
                gone.add(TargetGroup.empty(w.getKey()));
            }
        }
        if (!gone.isEmpty()) {
            sink.send(gone);
        }
    }

    /** Prometheus's rule: a listed name (or no list), and every configured tag among the service's tags. */
    boolean shouldWatch(String name, List<String> tags) {
        if (!config.services().isEmpty() && !config.services().contains(name)) {
            return false;
        }
        return tags.containsAll(config.tags());
    }

    private Thread startWatcher(HttpClient client, Sink sink, String name) {
        return Thread.ofVirtual().name("consul-sd-" + name).start(() -> {
            long[] lastIndex = {0};
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    watchService(client, sink, name, lastIndex);
                    Thread.sleep(config.refreshInterval.millis());
                }
            } catch (InterruptedException stopped) {
                // the service left the catalog, or discovery stopped
            }
        });
    }

    private void watchService(HttpClient client, Sink sink, String name, long[] lastIndex) throws InterruptedException {
        Map<String, List<String>> params = queryParams(lastIndex[0]);
        if (!config.tags().isEmpty()) {
            params.put("tag", config.tags());
        }
        if (config.healthFilter != null && !config.healthFilter.isEmpty()) {
            params.put("filter", List.of(config.healthFilter));
        }
        Response r;
        try {
            r = get(client, "/v1/health/service/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"), params, true);
        } catch (IOException e) {
            failures.incrementAndGet();
            SdMetrics.inc(SdMetrics.CONSUL_RPC_FAILURES, null);
            LOG.error("msg=\"Error refreshing service\" service={} tags={} err=\"{}\"", name, String.join(",", config.tags()), e.getMessage());
            Thread.sleep(retryMillis);
            return;
        }
        if (r.index == lastIndex[0]) {
            return;
        }
        lastIndex[0] = r.index;
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        sink.send(List.of(group(name, r.body)));
    }

    /** The group of one service from a {@code /v1/health/service} answer. */
    TargetGroup group(String name, JsonNode entries) {
        LabelsBuilder common = new LabelsBuilder();
        common.set(PREFIX + "service", name);
        put(common, PREFIX + "dc", datacenter);
        put(common, PREFIX + "partition", config.partition);
        String sep = config.tagSeparator == null ? "" : config.tagSeparator;
        List<Labels> targets = new ArrayList<>();
        for (JsonNode e : entries) {
            JsonNode node = e.path("Node");
            JsonNode svc = e.path("Service");
            List<String> tags = new ArrayList<>();
            svc.path("Tags").forEach(t -> tags.add(t.asString()));
            String port = Long.toString(svc.path("Port").asLong(0));
            String serviceAddress = text(svc, "Address");
            String host = serviceAddress.isEmpty() ? text(node, "Address") : serviceAddress;
            LabelsBuilder b = new LabelsBuilder();
            b.set("__address__", GoNet.joinHostPort(host, port));
            put(b, PREFIX + "address", text(node, "Address"));
            put(b, PREFIX + "node", text(node, "Node"));
            put(b, PREFIX + "tags", sep + String.join(sep, tags) + sep);
            put(b, PREFIX + "service_address", serviceAddress);
            put(b, PREFIX + "service_port", port);
            put(b, PREFIX + "service_id", text(svc, "ID"));
            put(b, PREFIX + "health", aggregatedStatus(e.path("Checks")));
            node.path("Meta").properties().forEach(m -> put(b, PREFIX + "metadata_" + MetaLabels.sanitize(m.getKey()), m.getValue().asString()));
            svc.path("Meta").properties().forEach(m -> put(b, PREFIX + "service_metadata_" + MetaLabels.sanitize(m.getKey()), m.getValue().asString()));
            node.path("TaggedAddresses").properties().forEach(m -> put(b, PREFIX + "tagged_address_" + MetaLabels.sanitize(m.getKey()), m.getValue().asString()));
            targets.add(b.build());
        }
        return new TargetGroup(name, targets, common.build());
    }

    /** Consul's aggregated status of a service instance's checks (the Go API's rule). */
    static String aggregatedStatus(JsonNode checks) {
        boolean passing = false, warning = false, critical = false, maintenance = false;
        for (JsonNode c : checks) {
            String id = text(c, "CheckID");
            if (id.equals("_node_maintenance") || id.startsWith("_service_maintenance:")) {
                maintenance = true;
                continue;
            }
            switch (text(c, "Status")) {
                case "passing" -> passing = true;
                case "warning" -> warning = true;
                case "critical" -> critical = true;
                default -> {
                    return "";
                }
            }
        }
        if (maintenance) {
            return "maintenance";
        }
        if (critical) {
            return "critical";
        }
        if (warning) {
            return "warning";
        }
        return "passing";
    }

    private static void put(LabelsBuilder b, String name, String value) {
        if (value != null && !value.isEmpty()) {
            b.set(name, value);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isValueNode() && !v.isNull() ? v.asString() : "";
    }

    /** The options every query carries, as Consul's Go API encodes them. */
    private Map<String, List<String>> queryParams(long index) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        if (config.datacenter != null && !config.datacenter.isEmpty()) {
            p.put("dc", List.of(config.datacenter));
        }
        if (config.allowStale) {
            p.put("stale", List.of(""));
        }
        if (index > 0) {
            p.put("index", List.of(Long.toString(index)));
        }
        p.put("wait", List.of(WATCH_TIMEOUT_MILLIS + "ms"));
        if (config.nodeMeta != null && !config.nodeMeta.isEmpty()) {
            List<String> nm = new ArrayList<>();
            config.nodeMeta.forEach((k, v) -> nm.add(k + ":" + v));
            p.put("node-meta", nm);
        }
        if (config.namespace != null && !config.namespace.isEmpty()) {
            p.put("ns", List.of(config.namespace));
        }
        if (config.partition != null && !config.partition.isEmpty()) {
            p.put("partition", List.of(config.partition));
        }
        return p;
    }

    private record Response(JsonNode body, long index) {}

    private Response get(HttpClient client, String path, Map<String, List<String>> params, boolean blocking)
            throws IOException, InterruptedException {
        StringBuilder url = new StringBuilder(config.scheme).append("://").append(config.server);
        if (config.pathPrefix != null && !config.pathPrefix.isEmpty()) {
            url.append(config.pathPrefix.startsWith("/") ? "" : "/").append(config.pathPrefix);
        }
        url.append(path);
        char sep = '?';
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            for (String v : e.getValue()) {
                url.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8));
                if (!v.isEmpty() || !e.getKey().equals("stale")) {
                    url.append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                }
                sep = '&';
            }
        }
        long timeout = (blocking ? WATCH_TIMEOUT_MILLIS : 0) + 15_000;
        Request req = client.newRequest(url.toString()).timeout(timeout, TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.USER_AGENT, "Specula"));
        if (config.token != null && !config.token.isEmpty()) {
            req.headers(h -> h.put("X-Consul-Token", config.token.reveal()));
        }
        HttpClients.authorize(req, config);
        ContentResponse resp;
        try {
            resp = new CompletableResponseListener(req, MAX_BODY).send().get(timeout + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("Get \"" + url + "\": context deadline exceeded");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IOException("Get \"" + url + "\": " + (c.getMessage() == null ? c.toString() : c.getMessage()));
        }
        if (resp.getStatus() != 200) {
            throw new IOException("Unexpected response code: " + resp.getStatus() + " (" + resp.getContentAsString().strip() + ")");
        }
        long index = 0;
        String ix = resp.getHeaders().get("X-Consul-Index");
        if (ix != null) {
            try {
                index = Long.parseLong(ix.strip());
            } catch (NumberFormatException e) {
                throw new IOException("Failed to parse X-Consul-Index: " + ix);
            }
        }
        try {
            return new Response(JSON.readTree(resp.getContent()), index);
        } catch (JacksonException e) {
            throw new IOException("invalid JSON from " + path + ": " + e.getOriginalMessage());
        }
    }
}
