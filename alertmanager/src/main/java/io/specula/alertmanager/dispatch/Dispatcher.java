package io.specula.alertmanager.dispatch;

import io.specula.alertmanager.notify.NotificationPipeline;
import io.specula.alertmanager.types.Alert;
import io.specula.model.labels.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorts alerts into aggregation groups along the routing tree and flushes each group on
 * its timers (Alertmanager's {@code dispatch}). A flush runs on its own virtual thread, so a
 * receiver that hangs holds up only its own group; the group's next timer starts when the
 * flush ends. A new group waits group_wait, unless its alert started longer ago than that,
 * in which case it flushes at once. Thread-safe.
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** Alertmanager's floor for a flush's notification deadline. */
    static final Duration MIN_NOTIFY_TIMEOUT = Duration.ofSeconds(10);

    private final Route root;
    private final NotificationPipeline pipeline;
    private final Supplier<Instant> clock;
    private final ConcurrentHashMap<String, AggregationGroup> groups = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;
    private final ExecutorService flushes = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean stopped;
    /** Held while a batch is routed; a flush waits for it so it sees whole batches. */
    private final java.util.concurrent.locks.ReentrantLock ingest = new java.util.concurrent.locks.ReentrantLock();

    public Dispatcher(Route root, NotificationPipeline pipeline, Supplier<Instant> clock) {
        this.root = root;
        this.pipeline = pipeline;
        this.clock = clock;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alertmanager-dispatch-timers");
            t.setDaemon(true);
            return t;
        });
    }

    public Route root() {
        return root;
    }

    /** Routes a batch of alert versions into their groups; no group flushes before the batch is in. */
    public void process(List<Alert> batch) {
        ingest.lock();
        try {
            for (Alert a : batch) {
                process(a);
            }
        } finally {
            ingest.unlock();
        }
    }

    private void process(Alert a) {
        if (stopped) {
            return;
        }
        Instant now = clock.get();
        for (Route r : root.match(a.labels())) {
            Labels gl = r.groupLabels(a.labels());
            String id = r.key() + "\u0000" + gl;
            groups.compute(id, (k, g) -> {
                boolean fresh = g == null || g.destroyed();
                if (fresh) {
                    g = new AggregationGroup(r, gl);
                }
                g.insert(a);
                if (fresh) {
                    Duration wait = a.startsAt().plus(r.groupWait()).isBefore(now) ? Duration.ZERO : r.groupWait();
                    schedule(k, g, wait);
                } else if (!g.hasFlushed() && a.startsAt().plus(r.groupWait()).isBefore(now)) {
                    // The alert is older than group_wait: flush now rather than at the end of the wait.
                    schedule(k, g, Duration.ZERO);
                }
                return g;
            });
        }
    }

    private void schedule(String id, AggregationGroup g, Duration delay) {
        if (stopped) {
            return;
        }
        // A new timer supersedes the old one; cancelling alone could race with it firing.
        synchronized (g) {
            int gen = g.nextTimerGen();
            if (g.timer != null) {
                g.timer.cancel(false);
            }
            g.timer = timers.schedule(() -> flushes.execute(() -> flush(id, g, gen)), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void flush(String id, AggregationGroup g, int gen) {
        if (stopped) {
            return;
        }
        ingest.lock();
        ingest.unlock();
        if (!g.isCurrentTimer(gen)) {
            return;
        }
        g.markFlushed();
        List<Alert> alerts = g.alerts();
        Instant now = clock.get();
        Duration timeout = g.route().groupInterval().compareTo(MIN_NOTIFY_TIMEOUT) < 0
                ? MIN_NOTIFY_TIMEOUT
                : g.route().groupInterval();
        boolean ok;
        try {
            ok = alerts.isEmpty() || pipeline.notify(g.route(), g.groupKey(), g.groupLabels(), alerts, now.plus(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.error("flush failed: group={} err={}", g.groupKey(), e.toString());
            ok = false;
        }
        if (ok) {
            List<Alert> resolved = new ArrayList<>();
            for (Alert a : alerts) {
                if (a.resolvedAt(now)) {
                    resolved.add(a);
                }
            }
            // Destroy under the map's lock for this key so a concurrent insert makes a new group.
            boolean[] gone = {false};
            groups.computeIfPresent(id, (k, cur) -> {
                if (cur == g && g.deleteIfNotModified(resolved)) {
                    gone[0] = true;
                    return null;
                }
                return cur;
            });
            if (gone[0]) {
                return;
            }
        }
        schedule(id, g, g.route().groupInterval());
    }

    /** The current groups (for the API's alert groups). */
    public List<AggregationGroup> groups() {
        return new ArrayList<>(groups.values());
    }

    /** Stops all timers; running flushes are interrupted. */
    public void stop() {
        stopped = true;
        timers.shutdownNow();
        flushes.shutdownNow();
    }
}
