package io.specula.discovery;

import io.specula.discovery.config.DiscoveryConfigs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the discoverers of every job (a scrape job, or an entry of {@code alerting.alertmanagers})
 * and hands the merged target groups to a listener.
 *
 * <p>Updates are debounced as in Prometheus: discoverers may report at any rate, the listener
 * is called at most once per update interval (5s by default) with the full current groups of
 * every job. {@link #applyConfig} keeps the discoverers of jobs whose discovery configuration
 * did not change, so a reload does not refetch or re-read anything for them.
 *
 * <p>Each discoverer runs on its own virtual thread. Thread-safe.
 */
public final class DiscoveryManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryManager.class);
    public static final long DEFAULT_UPDATE_INTERVAL_MILLIS = 5000;

    private final Consumer<Map<String, List<TargetGroup>>> listener;
    private final long updateIntervalMillis;
    private final Path baseDir;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Thread sender;
    private boolean dirty;
    private boolean closed;

    /** The discoverers of one job and the groups they reported, by source. */
    private static final class Job {
        final String fingerprint;
        final List<Thread> threads = new ArrayList<>();
        final Map<String, Map<String, TargetGroup>> groupsByProvider = new LinkedHashMap<>();

        Job(String fingerprint) {
            this.fingerprint = fingerprint;
        }
    }

    /**
     * @param listener receives job name → all current groups of that job; called from one thread
     * @param updateIntervalMillis the debounce interval (Prometheus: 5s)
     * @param baseDir directory that relative file SD paths start from (the config file's), or null
     */
    public DiscoveryManager(Consumer<Map<String, List<TargetGroup>>> listener, long updateIntervalMillis, Path baseDir) {
        this.listener = listener;
        this.updateIntervalMillis = updateIntervalMillis;
        this.baseDir = baseDir;
        this.sender = Thread.ofVirtual().name("discovery-sender").start(this::sendLoop);
    }

    /** Starts, keeps or stops discoverers so that they match {@code configs} (job name → validated sections). */
    public synchronized void applyConfig(Map<String, ? extends DiscoveryConfigs> configs) {
        Map<String, Job> next = new LinkedHashMap<>();
        configs.forEach((name, sc) -> {
            String fp = sc.discoveryFingerprint();
            Job old = jobs.remove(name);
            if (old != null && old.fingerprint.equals(fp)) {
                next.put(name, old);
                return;
            }
            if (old != null) {
                stop(old);
            }
            Job job = new Job(fp);
            List<Discoverer> ds = sc.discoverers(baseDir);
            for (int i = 0; i < ds.size(); i++) {
                String provider = i + "";
                Discoverer d = ds.get(i);
                job.groupsByProvider.put(provider, new LinkedHashMap<>());
                job.threads.add(Thread.ofVirtual().name("discovery-" + name + "-" + i).start(() -> {
                    try {
                        d.run(groups -> update(job, provider, groups));
                    } catch (InterruptedException e) {
                        // stopped
                    } catch (RuntimeException e) {
                        LOG.error("msg=\"Discoverer failed\" job={} err=\"{}\"", name, e.toString());
                    }
                }));
            }
            next.put(name, job);
        });
        for (Job removed : jobs.values()) {
            stop(removed);
        }
        jobs.clear();
        jobs.putAll(next);
        dirty = true;
        notifyAll();
    }

    private synchronized void update(Job job, String provider, List<TargetGroup> groups) {
        Map<String, TargetGroup> byProvider = job.groupsByProvider.get(provider);
        if (byProvider == null || !jobs.containsValue(job)) {
            return; // a stopped job's discoverer reporting late
        }
        for (TargetGroup g : groups) {
            if (g.targets().isEmpty()) {
                byProvider.remove(g.source());
            } else {
                byProvider.put(g.source(), g);
            }
        }
        dirty = true;
        notifyAll();
    }

    private void stop(Job job) {
        job.threads.forEach(Thread::interrupt);
    }

    /** The current groups of every job, as the listener would get them. */
    public synchronized Map<String, List<TargetGroup>> snapshot() {
        Map<String, List<TargetGroup>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Job> e : jobs.entrySet()) {
            List<TargetGroup> all = new ArrayList<>();
            e.getValue().groupsByProvider.values().forEach(m -> all.addAll(m.values()));
            out.put(e.getKey(), List.copyOf(all));
        }
        return out;
    }

    private void sendLoop() {
        try {
            while (true) {
                Map<String, List<TargetGroup>> snap;
                synchronized (this) {
                    while (!dirty && !closed) {
                        wait();
                    }
                    if (closed) {
                        return;
                    }
                    dirty = false;
                    snap = snapshot();
                }
                try {
                    listener.accept(snap);
                } catch (RuntimeException e) {
                    LOG.error("msg=\"Target update listener failed\" err=\"{}\"", e.toString());
                }
                Thread.sleep(updateIntervalMillis); // debounce: at most one update per interval
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        jobs.values().forEach(this::stop);
        jobs.clear();
        sender.interrupt();
        notifyAll();
    }

    /** The discoverer threads of a job (for tests: a reload must keep them when nothing changed). */
    synchronized List<Thread> threads(String job) {
        Job j = jobs.get(job);
        return j == null ? List.of() : List.copyOf(j.threads);
    }

    /** For tests and status pages: how many jobs have running discoverers. */
    public synchronized Map<String, Integer> discovererCounts() {
        Map<String, Integer> m = new HashMap<>();
        jobs.forEach((k, v) -> m.put(k, v.threads.size()));
        return m;
    }
}
