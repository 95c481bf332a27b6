package io.specula.remote.write;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.httpclient.HttpClients;
import io.specula.model.labels.Labels;
import io.specula.tsdb.wal.SegmentFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote-write sender: one {@link QueueManager} per {@code remote_write} entry, all following
 * the same WAL directory. It needs only that directory, a directory for its saved positions and a
 * metrics registry — the server's head and an agent's WAL-only storage use it alike.
 *
 * <p>{@link #keepWalFrom()} is the hold a WAL owner consults before checkpointing (see
 * {@code Head.holdWalSegments}): the oldest segment some queue has not delivered yet, but never
 * holding more than {@code maxRetainedBytes} of segments, so a receiver that stays down cannot
 * fill the disk (past that bound its oldest samples are lost, and a warning says so).
 *
 * <p>Thread-safe.
 */
public final class RemoteWriteStorage implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteStorage.class);
    /** Where queues keep their positions, under the data directory. */
    public static final String STATE_DIR = "remote_write";

    private final Path walDir;
    private final Path stateDir;
    private final RemoteWriteMetrics metrics;
    private final long maxRetainedBytes;
    private final Map<String, QueueManager> queues = new LinkedHashMap<>();
    private volatile boolean warnedBound;
    private volatile MetadataSource metadataSource = MetadataSource.NONE;

    /**
     * @param walDir the WAL to follow
     * @param stateDir where each queue saves its position
     * @param maxRetainedBytes how much WAL a lagging queue may hold back from checkpointing
     */
    public RemoteWriteStorage(Path walDir, Path stateDir, PrometheusRegistry registry, long maxRetainedBytes) {
        this.walDir = walDir;
        this.stateDir = stateDir;
        this.metrics = new RemoteWriteMetrics(registry);
        this.maxRetainedBytes = maxRetainedBytes;
    }

    /** Where the queues find metric metadata to send ({@code metadata_config}); none until set. */
    public void setMetadataSource(MetadataSource source) {
        this.metadataSource = source;
    }

    /**
     * Runs the given (validated) entries: unchanged queues keep running, changed or new ones
     * (re)start from their saved position, removed ones stop.
     *
     * @throws HttpClients.ClientConfigException when an entry's HTTP client cannot be built (a bad
     *     TLS file); no new queue starts then, but a changed queue before the bad entry was already
     *     stopped (it resumes from its saved position at the next successful reload)
     */
    public synchronized void applyConfig(List<RemoteWriteConfig> configs, Labels externalLabels)
            throws HttpClients.ClientConfigException {
        Map<String, RemoteWriteConfig> wanted = new LinkedHashMap<>();
        for (RemoteWriteConfig c : configs) {
            wanted.put(c.fingerprint() + "|" + externalLabels, c);
        }
        Map<String, QueueManager> started = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        try {
            for (Map.Entry<String, RemoteWriteConfig> e : wanted.entrySet()) {
                if (!queues.containsKey(e.getKey())) {
                    // A replaced queue must save its position before its successor reads it.
                    stopSameKey(e.getValue().positionKey());
                    started.put(e.getKey(), new QueueManager(e.getValue(), externalLabels, walDir, stateDir, metrics, now,
                            v -> metadataSource.forEach(v)));
                }
            }
        } catch (HttpClients.ClientConfigException ex) {
            started.values().forEach(QueueManager::stop); // never started: releases their HTTP clients
            throw ex;
        }
        for (var it = queues.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!wanted.containsKey(e.getKey())) {
                e.getValue().stop();
                it.remove();
            }
        }
        for (Map.Entry<String, QueueManager> e : started.entrySet()) {
            queues.put(e.getKey(), e.getValue());
            e.getValue().start();
        }
    }

    private void stopSameKey(String positionKey) {
        for (var it = queues.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().positionKeyMatches(positionKey)) {
                e.getValue().stop();
                it.remove();
            }
        }
    }

    /** The running queues (tests). */
    synchronized List<QueueManager> queues() {
        return List.copyOf(queues.values());
    }

    /** Number of running queues. */
    public synchronized int size() {
        return queues.size();
    }

    /**
     * The lowest WAL segment a queue still needs, within the retention bound;
     * {@link Integer#MAX_VALUE} when nothing is held.
     */
    public int keepWalFrom() {
        int keep = Integer.MAX_VALUE;
        synchronized (this) {
            for (QueueManager q : queues.values()) {
                keep = Math.min(keep, q.keepFrom());
            }
        }
        if (keep == Integer.MAX_VALUE) {
            return keep;
        }
        try {
            int[] segs = SegmentFiles.list(walDir);
            long bytes = 0;
            for (int i = segs.length - 1; i >= 0; i--) {
                if (segs[i] < keep) {
                    break;
                }
                bytes += Files.size(SegmentFiles.path(walDir, segs[i]));
                if (bytes > maxRetainedBytes) {
                    if (!warnedBound) {
                        warnedBound = true;
                        LOG.warn("remote write is behind by more than {} bytes of WAL; releasing segments before {} "
                                + "(samples in them that were not sent will be lost)", maxRetainedBytes, segs[i] + 1);
                    }
                    return segs[i] + 1;
                }
            }
            warnedBound = false;
        } catch (IOException e) {
            LOG.debug("remote write: cannot size the WAL: {}", e.toString());
        }
        return keep;
    }

    @Override
    public synchronized void close() {
        for (QueueManager q : queues.values()) {
            q.stop();
        }
        queues.clear();
    }
}
