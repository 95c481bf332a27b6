package io.specula.scrape;

import io.specula.model.config.ConfigException;
import io.specula.model.labels.Labels;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.discovery.TargetGroup;
import io.specula.httpclient.HttpClients;
import io.specula.tsdb.storage.Appendable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;

/**
 * Owns one {@link ScrapePool} per job: {@link #applyConfig} on (re)load, {@link #updateTargets}
 * with what discovery found (wire it as the {@code DiscoveryManager}'s listener), and plain
 * accessors for {@code /api/v1/targets} and {@code /api/v1/scrape_pools}.
 *
 * <p>On reload, pools whose configuration is unchanged keep running untouched; changed pools
 * restart their loops; removed jobs stop and mark their series stale. A configuration whose HTTP
 * clients cannot be built (unreadable CA file, bad key) is refused before anything changes.
 * Thread-safe.
 */
public final class ScrapeManager implements AutoCloseable {
    private final Appendable storage;
    private final ScrapeOptions options;
    private final ScrapeMetrics metrics = new ScrapeMetrics();
    private final Map<String, ScrapePool> pools = new LinkedHashMap<>();
    private final Map<String, String> fingerprints = new HashMap<>();
    private final Map<String, List<TargetGroup>> groups = new HashMap<>();

    public ScrapeManager(Appendable storage, ScrapeOptions options) {
        this.storage = storage;
        this.options = options;
    }

    /**
     * Makes the pools match {@code configs} (validated, e.g. by {@code ScrapeConfigs.validateAll}).
     *
     * @throws ConfigException when an HTTP client cannot be created; nothing was changed then
     */
    public synchronized void applyConfig(List<ScrapeConfig> configs) throws ConfigException {
        Map<String, HttpClient> newClients = new HashMap<>();
        Map<String, String> newPrints = new HashMap<>();
        try {
            for (ScrapeConfig c : configs) {
                String fp = ScrapeConfigs.fingerprint(c);
                newPrints.put(c.jobName, fp);
                if (!fp.equals(fingerprints.get(c.jobName))) {
                    newClients.put(c.jobName, HttpClients.create(c, c.jobName));
                }
            }
        } catch (HttpClients.ClientConfigException e) {
            newClients.values().forEach(HttpClients::stopQuietly);
            metrics.poolReloadFailures.increment();
            throw new ConfigException("error creating HTTP client for scrape config \"" + jobOf(newPrints, configs) + "\": "
                    + e.getMessage());
        }
        Map<String, ScrapeConfig> byJob = new LinkedHashMap<>();
        configs.forEach(c -> byJob.put(c.jobName, c));
        var it = pools.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (!byJob.containsKey(e.getKey())) {
                e.getValue().stop(true);
                it.remove();
                fingerprints.remove(e.getKey());
                groups.remove(e.getKey());
            }
        }
        for (ScrapeConfig c : configs) {
            HttpClient client = newClients.get(c.jobName);
            if (client == null) {
                continue; // unchanged
            }
            ScrapePool pool = pools.get(c.jobName);
            if (pool == null) {
                pool = new ScrapePool(c, client, storage, options, metrics);
                pools.put(c.jobName, pool);
                pool.sync(groups.getOrDefault(c.jobName, List.of()));
            } else {
                pool.reload(c, client);
            }
            fingerprints.put(c.jobName, newPrints.get(c.jobName));
        }
    }

    private static String jobOf(Map<String, String> prints, List<ScrapeConfig> configs) {
        // The job whose client failed is the last one fingerprinted.
        String last = "";
        for (ScrapeConfig c : configs) {
            if (prints.containsKey(c.jobName)) {
                last = c.jobName;
            }
        }
        return last;
    }

    /** Sets the target groups of the jobs in {@code update} (job name → all its groups). */
    public synchronized void updateTargets(Map<String, List<TargetGroup>> update) {
        for (Map.Entry<String, List<TargetGroup>> e : update.entrySet()) {
            groups.put(e.getKey(), e.getValue());
            ScrapePool pool = pools.get(e.getKey());
            if (pool != null) {
                pool.sync(e.getValue());
            }
        }
    }

    /** Counters about scraping, under Prometheus's metric names. */
    public ScrapeMetrics metrics() {
        return metrics;
    }

    /** Job names, in configuration order. */
    public synchronized List<String> scrapePools() {
        return List.copyOf(pools.keySet());
    }

    /** Active targets by job. */
    public synchronized Map<String, List<Target>> activeTargets() {
        Map<String, List<Target>> out = new LinkedHashMap<>();
        pools.forEach((job, p) -> out.put(job, p.activeTargets()));
        return out;
    }

    /** Discovered labels of dropped targets by job (limited by {@code keep_dropped_targets}). */
    public synchronized Map<String, List<Labels>> droppedTargets() {
        Map<String, List<Labels>> out = new LinkedHashMap<>();
        pools.forEach((job, p) -> out.put(job, p.droppedTargets()));
        return out;
    }

    /** How many targets relabeling dropped, by job, including those not kept. */
    public synchronized Map<String, Integer> droppedTargetCounts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        pools.forEach((job, p) -> out.put(job, p.droppedTargetCount()));
        return out;
    }

    /** Snapshots of all active targets, for {@code /api/v1/targets}. */
    public List<TargetStatus> targetStatuses() {
        List<TargetStatus> out = new ArrayList<>();
        activeTargets().values().forEach(ts -> ts.forEach(t -> out.add(t.status())));
        return out;
    }

    synchronized ScrapePool pool(String job) {
        return pools.get(job);
    }

    /** Stops every loop without staleness markers (the server is shutting down, as Prometheus does). */
    @Override
    public synchronized void close() {
        pools.values().forEach(p -> p.stop(false));
        pools.clear();
        fingerprints.clear();
    }
}
