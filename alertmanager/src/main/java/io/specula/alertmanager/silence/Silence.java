package io.specula.alertmanager.silence;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import java.time.Instant;
import java.util.List;

/**
 * A silence: alerts matching all matchers are muted between {@code startsAt} and
 * {@code endsAt}. Immutable; {@link Silences} replaces a silence to change it.
 */
public record Silence(
        String id,
        List<Matcher> matchers,
        Instant startsAt,
        Instant endsAt,
        Instant updatedAt,
        String createdBy,
        String comment) {

    public SilenceState stateAt(Instant now) {
        if (!endsAt.isAfter(now)) {
            return SilenceState.EXPIRED;
        }
        return startsAt.isAfter(now) ? SilenceState.PENDING : SilenceState.ACTIVE;
    }

    /** Whether the label set matches every matcher (absent labels count as empty). */
    public boolean matches(Labels labels) {
        for (Matcher m : matchers) {
            if (!m.matches(labels.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    public Silence withTimes(Instant start, Instant end, Instant updated) {
        return new Silence(id, matchers, start, end, updated, createdBy, comment);
    }
}
