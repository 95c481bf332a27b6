package io.specula.scrape;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The targets of one scrape job and their loops, sharing one HTTP client.
 *
 * <p>{@link #sync} turns the job's target groups into targets (relabeling), starts loops for new
 * targets and stops those of vanished ones with staleness markers. {@link #reload} swaps the
 * configuration: loops restart, keeping their scrape caches (and so their staleness state)
 * when the way samples are labeled did not change. Thread-safe (synchronized).
 */
final class ScrapePool {
    private static final Logger LOG = LoggerFactory.getLogger(ScrapePool.class);

    private final Appendable storage;
    private final ScrapeOptions options;
    private final ScrapeMetrics metrics;
    private ScrapeConfig config;
    private HttpClient client;
    private final Map<Long, ScrapeLoop> loops = new LinkedHashMap<>();
    private List<TargetGroup> groups = List.of();
    private List<Labels> dropped = List.of();
    private int droppedCount;

    ScrapePool(ScrapeConfig config, HttpClient client, Appendable storage, ScrapeOptions options, ScrapeMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.client = client;
        this.storage = storage;
        this.options = options;
    }

    synchronized ScrapeConfig config() {
        return config;
    }

    synchronized void sync(List<TargetGroup> newGroups) {
        this.groups = List.copyOf(newGroups);
        syncLoops(Map.of());
    }

    /** The targets the current groups and configuration give, by hash; records the dropped ones. */
    private Map<Long, Target> buildTargets() {
        TargetBuilder tb = new TargetBuilder(config);
        Map<Long, Target> uniq = new LinkedHashMap<>();
        List<Labels> drops = new ArrayList<>();
        int dropCount = 0;
        for (TargetGroup g : groups) {
            for (Labels t : g.targets()) {
                TargetBuilder.Result r = tb.build(g, t);
                if (r.error() != null) {
                    LOG.warn("msg=\"Creating target failed\" scrape_pool={} err=\"instance in group {}: {}\"",
                            config.jobName, g.source(), r.error());
                } else if (r.dropped()) {
                    dropCount++;
                    if (config.keepDroppedTargets == 0 || drops.size() < config.keepDroppedTargets) {
                        drops.add(r.discovered());
                    }
                } else {
                    uniq.putIfAbsent(r.target().hash(), r.target());
                }
            }
        }
        dropped = List.copyOf(drops);
        droppedCount = dropCount;
        return uniq;
    }

    private void syncLoops(Map<Long, ScrapeCache> inherited) {
        Map<Long, Target> uniq = buildTargets();
        // Vanished targets: stop their loops, marking their series stale.
        var it = loops.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (!uniq.containsKey(e.getKey())) {
                e.getValue().stop(true);
                it.remove();
            }
        }
        for (Target t : uniq.values()) {
            if (!loops.containsKey(t.hash())) {
                ScrapeCache cache = inherited.getOrDefault(t.hash(), new ScrapeCache());
                ScrapeLoop loop = new ScrapeLoop(t, config, new HttpScraper(client, config, t, options.maxBodyBytes()), storage, cache,
                        options, metrics);
                loops.put(t.hash(), loop);
                loop.start();
            }
        }
        String forced = config.targetLimit > 0 && loops.size() > config.targetLimit
                ? "target_limit exceeded (number of targets: " + loops.size() + ", limit: " + config.targetLimit + ")"
                : null;
        if (forced != null) {
            metrics.exceededTargetLimit.increment();
        }
        loops.values().forEach(l -> l.forceError(forced));
    }

    /** Switches to {@code next} (with its new client); the old client is stopped. */
    synchronized void reload(ScrapeConfig next, HttpClient nextClient) {
        metrics.poolReloads.increment();
        boolean keepCaches = ScrapeConfigs.fingerprint(labeling(config)).equals(ScrapeConfigs.fingerprint(labeling(next)));
        ScrapeConfig previous = config;
        config = next;
        Map<Long, Target> after = buildTargets();
        // A target that stays hands its cache (and so its staleness state) to its new loop; one
        // that the new configuration no longer yields, or whose series will be labeled
        // differently, ends here with staleness markers.
        // Series are named by the target's public labels, so that is what must stay the same
        // (a new interval or path changes the target's hash but not its series).
        Map<Labels, Long> afterBySeries = new HashMap<>();
        after.forEach((hash, t) -> afterBySeries.putIfAbsent(t.publicLabels(), hash));
        Map<Long, ScrapeCache> caches = new HashMap<>();
        for (ScrapeLoop old : loops.values()) {
            Long successor = keepCaches ? afterBySeries.remove(old.target().publicLabels()) : null;
            old.stop(successor == null);
            if (successor != null) {
                caches.put(successor, old.cache);
            }
        }
        loops.clear();
        HttpClients.stopQuietly(client);
        client = nextClient;
        LOG.debug("msg=\"Reloaded scrape pool\" scrape_pool={} caches_kept={} was={}", next.jobName, caches.size(),
                previous.jobName);
        syncLoops(caches);
    }

    /** What decides the labels a cached series has; a change there invalidates the caches. */
    private record Labeling(boolean honorLabels, Object metricRelabelConfigs, String nameValidation) {}

    private static Labeling labeling(ScrapeConfig c) {
        return new Labeling(c.honorLabels, c.metricRelabelConfigs(), c.metricNameValidationScheme);
    }

    /** Stops all loops; with {@code staleness}, their series are marked stale (the job was removed). */
    synchronized void stop(boolean staleness) {
        loops.values().forEach(l -> l.stop(staleness));
        loops.clear();
        HttpClients.stopQuietly(client);
    }

    synchronized List<Target> activeTargets() {
        List<Target> out = new ArrayList<>(loops.size());
        loops.values().forEach(l -> out.add(l.target()));
        return out;
    }

    /** Discovered labels of dropped targets, at most {@code keep_dropped_targets} of them (0: all). */
    synchronized List<Labels> droppedTargets() {
        return dropped;
    }

    synchronized int droppedTargetCount() {
        return droppedCount;
    }

    /** The loop of a target, for tests. */
    synchronized ScrapeLoop loop(Target t) {
        return loops.get(t.hash());
    }
}
