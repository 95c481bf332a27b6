package io.specula.rules.notifier;

import java.nio.file.Path;

/**
 * Start-up settings of a {@link Notifier}, the parts Prometheus takes from flags rather than
 * prometheus.yml.
 *
 * @param queueCapacity {@code --alertmanager.notification-queue-capacity}: alerts waiting to be
 *     sent; beyond it the oldest are dropped and counted
 * @param maxBatchSize alerts per request to an Alertmanager
 * @param drainOnShutdown {@code --alertmanager.drain-notification-queue-on-shutdown}: send what
 *     is queued before {@link Notifier#close()} returns
 * @param discoveryUpdateMillis how often discovered Alertmanagers are refreshed at most
 * @param baseDir directory relative file SD paths start from (the config file's), or null
 */
public record NotifierOptions(int queueCapacity, int maxBatchSize, boolean drainOnShutdown,
                              long discoveryUpdateMillis, Path baseDir) {
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final int DEFAULT_MAX_BATCH_SIZE = 256;
    public static final long DEFAULT_DISCOVERY_UPDATE_MILLIS = 5_000;

    public NotifierOptions {
        if (queueCapacity <= 0) {
            throw new IllegalArgumentException("notification queue capacity must be positive, got " + queueCapacity);
        }
        if (maxBatchSize <= 0) {
            throw new IllegalArgumentException("notification batch size must be positive, got " + maxBatchSize);
        }
    }

    /** Prometheus's defaults. */
    public static NotifierOptions defaults() {
        return new NotifierOptions(DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_BATCH_SIZE, true, DEFAULT_DISCOVERY_UPDATE_MILLIS, null);
    }

    public NotifierOptions withQueueCapacity(int capacity) {
        return new NotifierOptions(capacity, maxBatchSize, drainOnShutdown, discoveryUpdateMillis, baseDir);
    }

    public NotifierOptions withMaxBatchSize(int size) {
        return new NotifierOptions(queueCapacity, size, drainOnShutdown, discoveryUpdateMillis, baseDir);
    }

    public NotifierOptions withDrainOnShutdown(boolean drain) {
        return new NotifierOptions(queueCapacity, maxBatchSize, drain, discoveryUpdateMillis, baseDir);
    }

    public NotifierOptions withDiscoveryUpdateMillis(long millis) {
        return new NotifierOptions(queueCapacity, maxBatchSize, drainOnShutdown, millis, baseDir);
    }

    public NotifierOptions withBaseDir(Path dir) {
        return new NotifierOptions(queueCapacity, maxBatchSize, drainOnShutdown, discoveryUpdateMillis, dir);
    }
}
