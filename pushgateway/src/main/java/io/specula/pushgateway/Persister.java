package io.specula.pushgateway;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the store to the persistence file at most once per interval, as the Go gateway does:
 * a write schedules a persist for {@code interval} after the previous one (at once if that is
 * past); writes in between ride along. So a crash (kill -9) loses at most the pushes of the
 * last interval; an orderly stop persists everything.
 */
final class Persister implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Persister.class);

    private final MetricStore store;
    private final Path file;
    private final long intervalNanos;
    private final ScheduledExecutorService timer;
    private long lastPersist = System.nanoTime();
    private long persistedVersion;
    private ScheduledFuture<?> scheduled;

    Persister(MetricStore store, Path file, Duration interval) {
        this.store = store;
        this.file = file;
        this.intervalNanos = interval.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pushgateway-persist");
            t.setDaemon(true);
            return t;
        });
        store.onWrite(this::written);
    }

    /** Called under the store's monitor after each change. */
    private synchronized void written() {
        if (scheduled != null) {
            return;
        }
        long delay = Math.max(0, intervalNanos - (System.nanoTime() - lastPersist));
        scheduled = timer.schedule(this::persistScheduled, delay, TimeUnit.NANOSECONDS);
    }

    private void persistScheduled() {
        synchronized (this) {
            scheduled = null;
            lastPersist = System.nanoTime();
        }
        persist();
    }

    /** Writes the current state if it changed since the last write. */
    void persist() {
        long version;
        java.util.List<MetricStore.Group> groups;
        synchronized (store) {
            version = store.version();
            groups = store.groups();
        }
        synchronized (this) {
            if (version == persistedVersion) {
                return;
            }
            try {
                PersistenceFormat.write(file, groups);
                persistedVersion = version;
                LOG.info("metrics persisted: file={}", file);
            } catch (IOException e) {
                LOG.error("error persisting metrics: file={} err={}", file, e.toString());
            }
        }
    }

    /** Stops the timer and persists what is left. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        persist();
    }
}
