package io.specula.discovery;

import java.util.List;

/**
 * One service discovery mechanism instance (one {@code static_config} list, one
 * {@code file_sd_config}, one {@code http_sd_config}, later one Kubernetes or DNS config).
 *
 * <p>{@link #run} runs on its own (virtual) thread until interrupted: it sends the groups it
 * knows as soon as it can, then every change. Each call of {@link Sink#send} carries groups
 * whose source changed; a group with no targets retracts its source. A failed refresh should
 * log and keep the previous groups, as Prometheus does.
 */
public interface Discoverer {
    /** Receives target group updates; thread-safe. */
    @FunctionalInterface
    interface Sink {
        void send(List<TargetGroup> groups);
    }

    /** Runs until the thread is interrupted. */
    void run(Sink sink) throws InterruptedException;
}
