package io.specula.app.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The story of issue 16 as scrape targets on loopback, each an HTTP server whose exposition
 * follows the current phase: node exporters for node-1 and node-2, kube-state-metrics, the
 * database, the two db-sync pods, auth, the application and a service-graph source (Tempo's
 * metrics-generator). Phases, each keeping the ones before:
 * <ol>
 *   <li>node-1's memory is exhausted (2% available);
 *   <li>the kernel OOM-kills the db-sync pods: restarts, OOMKilled, not ready, their targets down;
 *   <li>the database stops syncing (its last sync time freezes two minutes back);
 *   <li>auth's calls to the database fail;
 *   <li>the application's logins fail (its calls to auth fail).
 * </ol>
 * Counters grow with wall-clock time so rates are real.
 */
final class CascadeSimulator implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();
    private final long start = System.currentTimeMillis();
    private final long[] phaseAt = new long[6];
    private volatile int phase;

    String node1;
    String node2;
    String ksm;
    String db;
    String sync0;
    String sync1;
    String auth;
    String app;
    String tempo;

    CascadeSimulator() throws IOException {
        node1 = serve(() -> node(true));
        node2 = serve(() -> node(false));
        ksm = serve(this::kubeStateMetrics);
        db = serve(this::db);
        sync0 = serve(() -> phase >= 2 ? null : "# TYPE sync_rows_total counter\nsync_rows_total " + secs() * 100 + "\n");
        sync1 = serve(() -> phase >= 2 ? null : "# TYPE sync_rows_total counter\nsync_rows_total " + secs() * 100 + "\n");
        auth = serve(this::auth);
        app = serve(this::app);
        tempo = serve(this::serviceGraph);
    }

    /** Moves to phase {@code p} (1 to 5) now; returns the wall-clock time it happened. */
    long phase(int p) {
        long now = System.currentTimeMillis();
        phaseAt[p] = now;
        phase = p;
        return now;
    }

    /** The scrape configuration: target labels as Kubernetes relabeling would set them. */
    String scrapeConfigs() {
        return """
                scrape_configs:
                  - job_name: node
                    static_configs:
                      - targets: ["%s"]
                        labels: {node: node-1}
                      - targets: ["%s"]
                        labels: {node: node-2}
                  - job_name: kube-state-metrics
                    static_configs: [{targets: ["%s"]}]
                  - job_name: db
                    static_configs: [{targets: ["%s"]}]
                  - job_name: db-sync
                    static_configs:
                      - targets: ["%s"]
                        labels: {namespace: prod, pod: db-sync-0, node: node-1}
                      - targets: ["%s"]
                        labels: {namespace: prod, pod: db-sync-1, node: node-1}
                  - job_name: auth
                    static_configs: [{targets: ["%s"]}]
                  - job_name: app
                    static_configs: [{targets: ["%s"]}]
                  - job_name: tempo
                    static_configs: [{targets: ["%s"]}]
                """.formatted(node1, node2, ksm, db, sync0, sync1, auth, app, tempo);
    }

    private double secs() {
        return (System.currentTimeMillis() - start) / 1000.0;
    }

    /** Seconds since phase {@code p} began, 0 before it. */
    private double since(int p) {
        return phase >= p ? (System.currentTimeMillis() - phaseAt[p]) / 1000.0 : 0;
    }

    private String node(boolean first) {
        double total = 8e9;
        double avail = first && phase >= 1 ? 0.02 * total : 0.55 * total;
        int oom = first && phase >= 2 ? 2 : 0;
        return "# TYPE node_memory_MemTotal_bytes gauge\nnode_memory_MemTotal_bytes " + fmt(total) + "\n"
                + "# TYPE node_memory_MemAvailable_bytes gauge\nnode_memory_MemAvailable_bytes " + fmt(avail) + "\n"
                + "# TYPE node_vmstat_oom_kill untyped\nnode_vmstat_oom_kill " + oom + "\n";
    }

    private String kubeStateMetrics() {
        StringBuilder sb = new StringBuilder();
        sb.append("# TYPE kube_pod_info gauge\n");
        String[][] pods = {{"db-sync-0", "node-1"}, {"db-sync-1", "node-1"}, {"db-0", "node-2"}, {"auth-0", "node-2"},
                {"app-5d8f-x2", "node-2"}};
        for (String[] p : pods) {
            sb.append("kube_pod_info{namespace=\"prod\",pod=\"").append(p[0]).append("\",node=\"").append(p[1]).append("\"} 1\n");
        }
        sb.append("# TYPE kube_pod_owner gauge\n");
        sb.append("kube_pod_owner{namespace=\"prod\",pod=\"db-sync-0\",owner_kind=\"StatefulSet\",owner_name=\"db-sync\",owner_is_controller=\"true\"} 1\n");
        sb.append("kube_pod_owner{namespace=\"prod\",pod=\"db-sync-1\",owner_kind=\"StatefulSet\",owner_name=\"db-sync\",owner_is_controller=\"true\"} 1\n");
        sb.append("kube_pod_owner{namespace=\"prod\",pod=\"db-0\",owner_kind=\"StatefulSet\",owner_name=\"db\",owner_is_controller=\"true\"} 1\n");
        sb.append("kube_pod_owner{namespace=\"prod\",pod=\"auth-0\",owner_kind=\"StatefulSet\",owner_name=\"auth\",owner_is_controller=\"true\"} 1\n");
        sb.append("kube_pod_owner{namespace=\"prod\",pod=\"app-5d8f-x2\",owner_kind=\"ReplicaSet\",owner_name=\"app-5d8f\",owner_is_controller=\"true\"} 1\n");
        sb.append("# TYPE kube_replicaset_owner gauge\n");
        sb.append("kube_replicaset_owner{namespace=\"prod\",replicaset=\"app-5d8f\",owner_kind=\"Deployment\",owner_name=\"app\"} 1\n");
        boolean killed = phase >= 2;
        sb.append("# TYPE kube_pod_status_ready gauge\n");
        for (String[] p : pods) {
            boolean down = killed && p[0].startsWith("db-sync");
            sb.append("kube_pod_status_ready{namespace=\"prod\",pod=\"").append(p[0]).append("\",condition=\"true\"} ")
                    .append(down ? 0 : 1).append('\n');
        }
        sb.append("# TYPE kube_pod_container_status_restarts_total counter\n");
        for (String[] p : pods) {
            boolean down = killed && p[0].startsWith("db-sync");
            sb.append("kube_pod_container_status_restarts_total{namespace=\"prod\",pod=\"").append(p[0])
                    .append("\",container=\"main\"} ").append(down ? 1 : 0).append('\n');
        }
        if (killed) {
            sb.append("# TYPE kube_pod_container_status_last_terminated_reason gauge\n");
            for (String pod : new String[] {"db-sync-0", "db-sync-1"}) {
                sb.append("kube_pod_container_status_last_terminated_reason{namespace=\"prod\",pod=\"").append(pod)
                        .append("\",container=\"main\",reason=\"OOMKilled\"} 1\n");
            }
        }
        return sb.toString();
    }

    private String db() {
        double lastSync = phase >= 3 ? (phaseAt[3] - 120_000) / 1000.0 : System.currentTimeMillis() / 1000.0;
        return "# TYPE db_last_sync_timestamp_seconds gauge\ndb_last_sync_timestamp_seconds " + fmt(lastSync) + "\n";
    }

    private String auth() {
        return "# TYPE auth_requests_total counter\nauth_requests_total " + fmt(secs() * 10) + "\n"
                + "# TYPE auth_requests_failed_total counter\nauth_requests_failed_total " + fmt(since(4) * 5) + "\n";
    }

    private String app() {
        return "# TYPE app_logins_total counter\napp_logins_total " + fmt(secs() * 10) + "\n"
                + "# TYPE app_login_failures_total counter\napp_login_failures_total " + fmt(since(5) * 8) + "\n";
    }

    private String serviceGraph() {
        return "# TYPE traces_service_graph_request_total counter\n"
                + "traces_service_graph_request_total{client=\"app\",server=\"auth\"} " + fmt(secs() * 10) + "\n"
                + "traces_service_graph_request_total{client=\"auth\",server=\"db\"} " + fmt(secs() * 10) + "\n"
                + "# TYPE traces_service_graph_request_failed_total counter\n"
                + "traces_service_graph_request_failed_total{client=\"app\",server=\"auth\"} " + fmt(since(5) * 8) + "\n"
                + "traces_service_graph_request_failed_total{client=\"auth\",server=\"db\"} " + fmt(since(4) * 5) + "\n";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** A target serving {@code body} (null: 503, a target that is down). */
    private String serve(Supplier<String> body) throws IOException {
        HttpServer h = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        h.createContext("/metrics", ex -> {
            String b = body.get();
            if (b == null) {
                ex.sendResponseHeaders(503, -1);
                ex.close();
                return;
            }
            byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        h.start();
        servers.add(h);
        return "127.0.0.1:" + h.getAddress().getPort();
    }

    @Override
    public void close() {
        for (HttpServer h : servers) {
            h.stop(0);
        }
    }
}
