package io.specula.alertmanager.notify;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff between delivery attempts, with Alertmanager's shape: start at the
 * initial interval, grow by half each time up to a minute, with ±50 % jitter so that many
 * failing groups do not retry in lockstep. Not thread-safe: one per delivery.
 */
final class Backoff {
    private static final double MULTIPLIER = 1.5;
    private static final long MAX_MILLIS = 60_000;

    private double next;

    Backoff(Duration initial) {
        this.next = Math.max(1, initial.toMillis());
    }

    long nextMillis() {
        double jittered = next * (0.5 + ThreadLocalRandom.current().nextDouble());
        next = Math.min(next * MULTIPLIER, MAX_MILLIS);
        return (long) jittered;
    }
}
