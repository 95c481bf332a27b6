package io.specula.rules;

import java.util.List;

/**
 * Where the rule manager hands alerts that are due: newly firing, due for a resend, or
 * resolved. The rule manager applies Prometheus's resend delay; the sink only delivers.
 * Called from group evaluation threads, so it must be thread-safe and must not block
 * (a notifier queues and returns).
 */
@FunctionalInterface
public interface AlertSink {
    AlertSink NONE = alerts -> {};

    void send(List<Alert> alerts);
}
