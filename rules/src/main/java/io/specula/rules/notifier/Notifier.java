package io.specula.rules.notifier;

import io.specula.rules.Alert;
import io.specula.model.config.ConfigException;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.relabel.RelabelConfig;
import io.specula.model.relabel.Relabeler;
import io.specula.rules.notifier.config.AlertingConfig;
import io.specula.rules.notifier.config.AlertmanagerConfig;
import io.specula.discovery.DiscoveryManager;
import io.specula.discovery.StaticDiscoverer;
import io.specula.discovery.TargetGroup;
import io.specula.httpclient.HttpClients;
import io.specula.model.config.ConfigFingerprint;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to Alertmanagers, as Prometheus's notifier does.
 *
 * <p>{@link #send} adds the external labels an alert does not have, applies the global
 * {@code alert_relabel_configs} and queues what is left; beyond the queue capacity the oldest
 * alerts are dropped and counted. One sender thread takes batches of at most
 * {@link NotifierOptions#maxBatchSize()} alerts and posts each batch to every discovered
 * Alertmanager of every {@code alertmanagers} entry at once, after that entry's own
 * {@code alert_relabel_configs}, each request bounded by the entry's {@code timeout}: a hanging
 * Alertmanager costs the others nothing but can hold the next batch back for up to its timeout.
 * A batch that reaches no Alertmanager of some entry counts as dropped. There are no retries:
 * the rule manager resends firing alerts on its own schedule.
 *
 * <p>Alertmanagers are found by the scrape module's discovery (static, file, HTTP) and
 * {@code relabel_configs}; the URL is {@code __scheme__://__address____alerts_path__}.
 *
 * <p>Thread-safe. {@link #send} never blocks on the network.
 */
public final class Notifier implements io.specula.rules.AlertSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    static final String USER_AGENT = "Specula/0.1";
    /** Alertmanager answers with a few bytes; a longer answer fails the request. */
    private static final int MAX_RESPONSE = 64 * 1024;

    private final NotifierOptions options;
    private final NotifierMetrics metrics = new NotifierMetrics();
    private final DiscoveryManager discovery;
    private final Thread sender;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition more = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Alert> queue = new ArrayDeque<>();
    private final Relabeler relabeler = new Relabeler();
    private final LabelsBuilder lb = new LabelsBuilder();
    private Labels externalLabels = Labels.EMPTY;
    private List<RelabelConfig> relabelConfigs = List.of();
    private boolean closed;

    /** Replaced whole on reload; read by the sender and the status accessors without a lock. */
    private volatile Map<String, AlertmanagerSet> sets = Map.of();
    /** Only the sender thread uses it (per-entry alert relabeling). */
    private final Relabeler senderRelabeler = new Relabeler();

    public Notifier(NotifierOptions options) {
        this.options = options;
        this.discovery = new DiscoveryManager(this::onDiscovery, options.discoveryUpdateMillis(), options.baseDir());
        this.sender = Thread.ofVirtual().name("notifier-sender").start(this::sendLoop);
    }

    /**
     * Takes a new configuration (validated by {@link AlertingConfig#applyDefaults}) and the
     * global external labels. Entries whose configuration did not change keep their discovered
     * Alertmanagers. On failure (a TLS file that cannot be read, say) the previous configuration
     * stays in force.
     *
     * @param config the {@code alerting} block, or null for none
     * @throws ConfigException naming the entry whose HTTP client could not be built
     */
    public synchronized void applyConfig(AlertingConfig config, Labels externalLabels) throws ConfigException {
        List<AlertmanagerConfig> ams = config == null ? List.of() : config.alertmanagers();
        Map<String, AlertmanagerSet> old = sets;
        Map<String, AlertmanagerSet> byFingerprint = new HashMap<>();
        old.values().forEach(s -> byFingerprint.putIfAbsent(s.fingerprint, s));

        Map<String, AlertmanagerSet> next = new LinkedHashMap<>();
        List<HttpClient> created = new ArrayList<>();
        Set<HttpClient> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, AlertmanagerConfig> jobs = new LinkedHashMap<>();
        try {
            for (int i = 0; i < ams.size(); i++) {
                String name = "config-" + i; // Prometheus's key for the i-th entry
                AlertmanagerConfig c = ams.get(i);
                String fingerprint = ConfigFingerprint.of(c);
                // An unchanged entry keeps its client (requests in flight go on) and its Alertmanagers.
                AlertmanagerSet same = byFingerprint.remove(fingerprint);
                HttpClient client;
                if (same != null) {
                    client = same.client;
                    kept.add(client);
                } else {
                    try {
                        client = HttpClients.create(c, "notifier-" + i);
                    } catch (HttpClients.ClientConfigException e) {
                        throw new ConfigException("alerting.alertmanagers[" + i + "]: " + e.getMessage());
                    }
                    created.add(client);
                }
                AlertmanagerSet set = new AlertmanagerSet(name, c, fingerprint, client, metrics);
                if (same != null) {
                    set.inherit(same);
                } else if (staticOnly(c)) {
                    // Static Alertmanagers are known now: alerts of the first evaluations are not
                    // dropped while discovery's first (debounced) update is pending.
                    set.sync(new StaticDiscoverer(c.staticConfigs()).groups());
                }
                next.put(name, set);
                jobs.put(name, c);
            }
        } catch (ConfigException e) {
            created.forEach(HttpClients::stopQuietly);
            throw e;
        }
        lock.lock();
        try {
            this.externalLabels = externalLabels == null ? Labels.EMPTY : externalLabels;
            this.relabelConfigs = config == null ? List.of() : List.copyOf(config.alertRelabelConfigs());
            this.sets = Map.copyOf(next);
        } finally {
            lock.unlock();
        }
        // A snapshot the discovery took just before this call may still reach the new sets; the
        // next update (at most one update interval later) replaces it.
        discovery.applyConfig(jobs);
        for (AlertmanagerSet s : old.values()) {
            if (!kept.contains(s.client)) {
                retire(s);
            }
        }
    }

    private static boolean staticOnly(AlertmanagerConfig c) {
        return c.fileSdConfigs().isEmpty() && c.httpSdConfigs().isEmpty();
    }

    /** Stops a replaced entry's client once requests it may still carry have timed out. */
    private static void retire(AlertmanagerSet s) {
        long grace = s.config.timeout.millis() + 1000;
        Thread.ofVirtual().name("notifier-retire-" + s.name).start(() -> {
            try {
                Thread.sleep(grace);
            } catch (InterruptedException e) {
                // stop now
            }
            HttpClients.stopQuietly(s.client);
        });
    }

    private void onDiscovery(Map<String, List<TargetGroup>> groups) {
        Map<String, AlertmanagerSet> current = sets;
        groups.forEach((name, gs) -> {
            AlertmanagerSet s = current.get(name);
            if (s != null && !staticOnly(s.config)) { // static sets were filled by applyConfig
                s.sync(gs);
            }
        });
    }

    /**
     * Queues alerts for sending after external labels and the global {@code alert_relabel_configs}.
     * Never blocks on the network; the oldest queued alerts give way when the queue is full.
     */
    public void send(List<Alert> alerts) {
        lock.lock();
        try {
            if (closed) {
                metrics.dropped(alerts.size());
                return;
            }
            List<Alert> relabeled = new ArrayList<>(alerts.size());
            for (Alert a : alerts) {
                Alert r = relabel(a);
                if (r != null) {
                    relabeled.add(r);
                }
            }
            int capacity = options.queueCapacity();
            int from = 0;
            if (relabeled.size() > capacity) {
                from = relabeled.size() - capacity;
                LOG.warn("msg=\"Alert batch larger than queue capacity, dropping alerts\" num_dropped={}", from);
                metrics.dropped(from);
            }
            int overflow = queue.size() + relabeled.size() - from - capacity;
            if (overflow > 0) {
                for (int i = 0; i < overflow; i++) {
                    queue.pollFirst();
                }
                LOG.warn("msg=\"Alert notification queue full, dropping alerts\" num_dropped={}", overflow);
                metrics.dropped(overflow);
            }
            for (int i = from; i < relabeled.size(); i++) {
                queue.addLast(relabeled.get(i));
            }
            if (!queue.isEmpty()) {
                more.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * External labels the alert lacks, then the global rules; null when a rule drops it or no
     * label is left (Alertmanager would refuse the whole request over it). Under lock.
     */
    private Alert relabel(Alert a) {
        Labels ls = a.labels();
        if (externalLabels.isEmpty() && relabelConfigs.isEmpty()) {
            return ls.isEmpty() ? null : a;
        }
        lb.reset(ls);
        for (int i = 0; i < externalLabels.size(); i++) {
            if (ls.get(externalLabels.name(i)).isEmpty()) {
                lb.set(externalLabels.name(i), externalLabels.value(i));
            }
        }
        Labels out = relabeler.process(lb, relabelConfigs) ? lb.build() : Labels.EMPTY;
        lb.reset();
        return out.isEmpty() ? null : a.withLabels(out);
    }

    private void sendLoop() {
        while (true) {
            List<Alert> batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    more.awaitUninterruptibly();
                }
                if (queue.isEmpty() || closed && !options.drainOnShutdown()) {
                    return;
                }
                int n = Math.min(queue.size(), options.maxBatchSize());
                batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    batch.add(queue.pollFirst());
                }
            } finally {
                lock.unlock();
            }
            try {
                if (!sendAll(batch)) {
                    metrics.dropped(batch.size());
                }
            } catch (RuntimeException e) {
                LOG.error("msg=\"Sending alerts failed\" err=\"{}\"", e.toString());
                metrics.dropped(batch.size());
            }
        }
    }

    /** One pending request: which entry it serves and its outcome. */
    private record Pending(String set, CompletableFuture<Boolean> ok) {}

    /**
     * Posts one batch to every Alertmanager at once and waits for all answers (each bounded by its
     * entry's timeout).
     *
     * @return false when some entry that had Alertmanagers and alerts for them reached none
     */
    boolean sendAll(List<Alert> batch) {
        long begin = System.nanoTime();
        byte[] shared = null;
        List<Pending> pending = new ArrayList<>();
        for (AlertmanagerSet set : sets.values()) {
            List<String> urls = set.active();
            if (urls.isEmpty()) {
                continue;
            }
            List<RelabelConfig> rules = set.config.alertRelabelConfigs();
            byte[] payload;
            int count;
            if (rules.isEmpty()) {
                if (shared == null) {
                    shared = AlertsV2Encoder.encode(batch);
                }
                payload = shared;
                count = batch.size();
            } else {
                List<Alert> own = relabelForSet(batch, rules);
                if (own.isEmpty()) {
                    continue;
                }
                payload = AlertsV2Encoder.encode(own);
                count = own.size();
            }
            for (String url : urls) {
                pending.add(new Pending(set.name, post(set, url, payload, count, begin)));
            }
        }
        Map<String, Boolean> covered = new HashMap<>();
        for (Pending p : pending) {
            boolean ok = p.ok.join();
            covered.merge(p.set, ok, Boolean::logicalOr);
        }
        return !covered.containsValue(false);
    }

    private List<Alert> relabelForSet(List<Alert> batch, List<RelabelConfig> rules) {
        List<Alert> out = new ArrayList<>(batch.size());
        for (Alert a : batch) {
            Labels ls = senderRelabeler.process(a.labels(), rules);
            if (ls != null && !ls.isEmpty()) {
                out.add(a.withLabels(ls));
            }
        }
        return out;
    }

    /** Attempts per Alertmanager and batch: a refused connection or a 5xx is retried, a 4xx is not. */
    static final int MAX_ATTEMPTS = 3;
    private static final long FIRST_BACKOFF_MILLIS = 100;

    private CompletableFuture<Boolean> post(AlertmanagerSet set, String url, byte[] payload, int count, long begin) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        attempt(set, url, payload, count, begin, 1, result);
        return result;
    }

    /**
     * One POST; on a retryable failure the next attempt follows after an exponential backoff as
     * long as the entry's timeout, counted from the first attempt, leaves room for it.
     */
    private void attempt(AlertmanagerSet set, String url, byte[] payload, int count, long begin, int n,
            CompletableFuture<Boolean> result) {
        AtomicBoolean done = new AtomicBoolean();
        java.util.function.BiConsumer<String, Boolean> finish = (err, retryable) -> {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            long backoff = FIRST_BACKOFF_MILLIS << (n - 1);
            long elapsed = (System.nanoTime() - begin) / 1_000_000;
            if (err != null && retryable && n < MAX_ATTEMPTS && elapsed + backoff < set.config.timeout.millis()) {
                LOG.debug("msg=\"Retrying alerts\" alertmanager={} attempt={} err=\"{}\"", url, n + 1, err);
                CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS)
                        .execute(() -> attempt(set, url, payload, count, begin, n + 1, result));
                return;
            }
            if (err != null) {
                LOG.error("msg=\"Error sending alerts\" alertmanager={} count={} err=\"{}\"", url, count, err);
            }
            metrics.sent(url, count, err != null, (System.nanoTime() - begin) / 1e9);
            result.complete(err == null);
        };
        try {
            long left = Math.max(1, set.config.timeout.millis() - (System.nanoTime() - begin) / 1_000_000);
            Request req = set.client.newRequest(url)
                    .method(HttpMethod.POST)
                    .timeout(left, TimeUnit.MILLISECONDS)
                    .headers(h -> h.put(HttpHeader.USER_AGENT, USER_AGENT))
                    .body(new BytesRequestContent("application/json", payload));
            HttpClients.authorize(req, set.config);
            new CompletableResponseListener(req, MAX_RESPONSE).send().whenComplete((resp, ex) -> {
                if (ex != null) {
                    finish.accept(describe(url, ex), !(unwrap(ex) instanceof java.util.concurrent.TimeoutException));
                } else if (resp.getStatus() / 100 != 2) {
                    finish.accept("bad response status " + resp.getStatus() + " " + nz(resp.getReason()),
                            resp.getStatus() / 100 == 5);
                } else {
                    finish.accept(null, false);
                }
            });
        } catch (IOException | RuntimeException e) {
            finish.accept(e.getMessage(), false);
        }
    }

    private static Throwable unwrap(Throwable ex) {
        return ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
    }

    private static String describe(String url, Throwable ex) {
        Throwable c = unwrap(ex);
        if (c instanceof java.util.concurrent.TimeoutException) {
            return "Post \"" + url + "\": context deadline exceeded";
        }
        return "Post \"" + url + "\": " + (c.getMessage() == null ? c.toString() : c.getMessage());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** URLs of the Alertmanagers alerts currently go to, for {@code /api/v1/alertmanagers}. */
    public List<String> alertmanagers() {
        List<String> out = new ArrayList<>();
        sets.values().forEach(s -> out.addAll(s.active()));
        return out;
    }

    /** URLs of discovered Alertmanagers that relabeling dropped. */
    public List<String> droppedAlertmanagers() {
        List<String> out = new ArrayList<>();
        sets.values().forEach(s -> out.addAll(s.dropped()));
        return out;
    }

    /** The {@code prometheus_notifications_*} values now. */
    public NotifierMetrics.Snapshot metrics() {
        int len;
        lock.lock();
        try {
            len = queue.size();
        } finally {
            lock.unlock();
        }
        return metrics.snapshot(len, options.queueCapacity(), alertmanagers().size());
    }

    /**
     * Stops discovery, sends what is queued when draining is on (else counts it as dropped), and
     * releases the HTTP clients. Waits at most a minute for the queue to drain.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (!options.drainOnShutdown() && !queue.isEmpty()) {
                LOG.warn("msg=\"Draining remaining notifications on shutdown is disabled, and some notifications have been dropped\" count={}",
                        queue.size());
                metrics.dropped(queue.size());
                queue.clear();
            }
            more.signalAll();
        } finally {
            lock.unlock();
        }
        discovery.close();
        try {
            if (!sender.join(java.time.Duration.ofMinutes(1))) {
                LOG.warn("msg=\"Notification queue not drained within a minute; giving up\"");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sets.values().forEach(s -> HttpClients.stopQuietly(s.client));
    }
}
