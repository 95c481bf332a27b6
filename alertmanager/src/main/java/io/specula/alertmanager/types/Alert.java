package io.specula.alertmanager.types;

import io.specula.model.labels.Labels;
import java.time.Instant;
import java.util.Comparator;

/**
 * An alert as the Alertmanager holds it. {@code endsAt} is never null once ingested: a
 * client that sends none gets {@code now + resolve_timeout} and {@link #timeout()} set, so a
 * later explicit end time wins over it. Immutable.
 *
 * @param startsAt when the alert started firing
 * @param endsAt when it resolves (or resolved); {@link #NO_END} only before ingestion
 * @param updatedAt when the Alertmanager last received it
 * @param timeout whether {@code endsAt} was set by {@code resolve_timeout}
 */
public record Alert(
        Labels labels,
        Labels annotations,
        Instant startsAt,
        Instant endsAt,
        String generatorUrl,
        Instant updatedAt,
        boolean timeout) {

    /** Go's zero time, which Alertmanager prints for "not set". */
    public static final Instant NO_END = Instant.parse("0001-01-01T00:00:00Z");

    public long fingerprint() {
        return Fingerprints.of(labels);
    }

    /** Resolved when its end time is set and not in the future. */
    public boolean resolvedAt(Instant now) {
        return !endsAt.equals(NO_END) && !endsAt.isAfter(now);
    }

    /**
     * Combines this alert with a newer report of the same alert, the way Alertmanager merges
     * them: the later update's data, the earliest start, and an end time that a
     * resolve_timeout guess cannot push back past an explicit one.
     */
    public Alert merge(Alert o, Instant now) {
        if (o.updatedAt.isBefore(updatedAt)) {
            return o.merge(this, now);
        }
        Instant start = startsAt.isBefore(o.startsAt) ? startsAt : o.startsAt;
        Instant end = o.endsAt;
        boolean timeout = o.timeout;
        if (o.resolvedAt(now)) {
            if (resolvedAt(now) && endsAt.isAfter(o.endsAt)) {
                end = endsAt;
                timeout = this.timeout;
            }
        } else if (endsAt.isAfter(o.endsAt) && !this.timeout) {
            end = endsAt;
            timeout = false;
        }
        return new Alert(o.labels, o.annotations, start, end, o.generatorUrl, o.updatedAt, timeout);
    }

    /**
     * Alertmanager's notification order: by {@code job}, then {@code instance} (alerts
     * having the label first), then by the whole label set.
     */
    public static final Comparator<Alert> NOTIFICATION_ORDER = (a, b) -> {
        for (String key : new String[] {"job", "instance"}) {
            String x = a.labels.get(key);
            String y = b.labels.get(key);
            boolean hx = a.labels.has(key);
            boolean hy = b.labels.has(key);
            if (!hx && !hy) {
                continue;
            }
            if (!hx) {
                return 1;
            }
            if (!hy) {
                return -1;
            }
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return compareLabelSets(a.labels, b.labels);
    };

    /** Label sets in order: pair by pair, name then value; a prefix sorts first. */
    static int compareLabelSets(Labels a, Labels b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = a.name(i).compareTo(b.name(i));
            if (c != 0) {
                return c;
            }
            c = a.value(i).compareTo(b.value(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
