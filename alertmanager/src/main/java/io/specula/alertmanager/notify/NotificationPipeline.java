package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.TimeIntervalConfig;
import io.specula.alertmanager.dispatch.Route;
import io.specula.alertmanager.inhibit.Inhibitor;
import io.specula.alertmanager.nflog.NotificationLog;
import io.specula.alertmanager.silence.Silences;
import io.specula.alertmanager.types.Alert;
import io.specula.model.labels.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages a flushed aggregation group goes through (Alertmanager's {@code notify}
 * pipeline): time interval muting of the route, inhibition, silences, then per integration
 * of the receiver, in parallel: dedup against the notification log, delivery with retries
 * until the deadline, and logging the delivery. Thread-safe; one per loaded config.
 */
public final class NotificationPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationPipeline.class);

    private final Map<String, List<Integration>> receivers;
    private final Map<String, TimeIntervalConfig> timeIntervals;
    private final Inhibitor inhibitor;
    private final Silences silences;
    private final NotificationLog nflog;
    private final String externalUrl;
    private final Supplier<Instant> clock;
    private final Duration initialBackoff;
    private final NotificationMetrics metrics;
    private final ExecutorService fanOut = Executors.newVirtualThreadPerTaskExecutor();

    public NotificationPipeline(Map<String, List<Integration>> receivers, Map<String, TimeIntervalConfig> timeIntervals,
            Inhibitor inhibitor, Silences silences, NotificationLog nflog, String externalUrl, Supplier<Instant> clock,
            Duration initialBackoff, NotificationMetrics metrics) {
        this.receivers = Map.copyOf(receivers);
        this.timeIntervals = Map.copyOf(timeIntervals);
        this.inhibitor = inhibitor;
        this.silences = silences;
        this.nflog = nflog;
        this.externalUrl = externalUrl;
        this.clock = clock;
        this.initialBackoff = initialBackoff;
        this.metrics = metrics;
    }

    public Inhibitor inhibitor() {
        return inhibitor;
    }

    /**
     * Runs one flush of a group.
     *
     * @return true when every integration succeeded (or had nothing to do); false makes the
     *     dispatcher keep resolved alerts for the next flush
     */
    public boolean notify(Route route, String groupKey, Labels groupLabels, List<Alert> alerts, Instant deadline)
            throws InterruptedException {
        Instant now = clock.get();
        if (muted(route, now)) {
            LOG.debug("notifications muted by time interval: group={}", groupKey);
            return true;
        }
        List<Alert> kept = new ArrayList<>(alerts.size());
        for (Alert a : alerts) {
            if (inhibitor.mutes(a.labels()).isEmpty() && silences.mutes(a.labels()).isEmpty()) {
                kept.add(a);
            }
        }
        List<Integration> integrations = receivers.getOrDefault(route.receiver(), List.of());
        if (integrations.isEmpty()) {
            return true;
        }
        List<Future<Boolean>> results = new ArrayList<>();
        for (Integration in : integrations) {
            results.add(fanOut.submit(() -> deliver(in, route, groupKey, groupLabels, kept, deadline)));
        }
        boolean ok = true;
        for (Future<Boolean> f : results) {
            try {
                ok &= f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.error("notify failed unexpectedly: group={} err={}", groupKey, e.getCause().toString());
                ok = false;
            }
        }
        return ok;
    }

    private boolean muted(Route route, Instant now) {
        for (String name : route.muteTimeIntervals()) {
            TimeIntervalConfig ti = timeIntervals.get(name);
            if (ti != null && ti.contains(now)) {
                return true;
            }
        }
        if (!route.activeTimeIntervals().isEmpty()) {
            for (String name : route.activeTimeIntervals()) {
                TimeIntervalConfig ti = timeIntervals.get(name);
                if (ti != null && ti.contains(now)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private boolean deliver(Integration in, Route route, String groupKey, Labels groupLabels, List<Alert> alerts,
            Instant deadline) throws InterruptedException {
        Instant now = clock.get();
        String logKey = route.receiver() + "/" + in.name() + "/" + in.index();
        Set<Long> firing = new HashSet<>();
        Set<Long> resolved = new HashSet<>();
        for (Alert a : alerts) {
            (a.resolvedAt(now) ? resolved : firing).add(a.fingerprint());
        }
        if (!needsUpdate(nflog.query(groupKey, logKey), firing, resolved, in.sendResolved(), route.repeatInterval(), now)) {
            return true;
        }
        List<Alert> toSend = alerts;
        if (!in.sendResolved()) {
            toSend = alerts.stream().filter(a -> !a.resolvedAt(now)).toList();
        }
        if (!toSend.isEmpty()) {
            NotificationData data = NotificationData.of(route.receiver(), groupKey, toSend, groupLabels, externalUrl, now);
            if (!sendWithRetries(in, data, deadline, route.receiver())) {
                return false;
            }
        }
        nflog.log(groupKey, logKey, firing, resolved);
        return true;
    }

    /**
     * Whether the integration must hear about this group now (Alertmanager's dedup rule):
     * never notified and something fires; a firing alert it has not seen; everything
     * resolved after it saw firing alerts; a resolved alert it has not seen, if it wants
     * those; or nothing new but the repeat interval has passed.
     */
    static boolean needsUpdate(NotificationLog.Entry e, Set<Long> firing, Set<Long> resolved, boolean sendResolved,
            Duration repeat, Instant now) {
        if (e == null) {
            return !firing.isEmpty();
        }
        if (!e.firing().containsAll(firing)) {
            return true;
        }
        if (firing.isEmpty()) {
            return !e.firing().isEmpty();
        }
        if (sendResolved && !e.resolved().containsAll(resolved)) {
            return true;
        }
        return e.timestamp().isBefore(now.minus(repeat));
    }

    private boolean sendWithRetries(Integration in, NotificationData data, Instant deadline, String receiver)
            throws InterruptedException {
        Backoff backoff = new Backoff(initialBackoff);
        metrics.delivery(in.name());
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                metrics.attempt(in.name());
                in.send(data, deadline);
                metrics.sent(in.name());
                return true;
            } catch (NotifyException e) {
                long wait = backoff.nextMillis();
                boolean retry = e.retryable() && clock.get().plusMillis(wait).isBefore(deadline);
                if (!retry) {
                    LOG.error("Notify for alerts failed: receiver={} integration={}[{}] attempts={} err=\"{}\"",
                            receiver, in.name(), in.index(), attempt, e.getMessage());
                    metrics.failed(in.name());
                    return false;
                }
                LOG.debug("Notify attempt failed, will retry: receiver={} integration={}[{}] attempt={} err=\"{}\"",
                        receiver, in.name(), in.index(), attempt, e.getMessage());
                Thread.sleep(wait);
            }
        }
    }

    public void close() {
        fanOut.shutdownNow();
    }
}
