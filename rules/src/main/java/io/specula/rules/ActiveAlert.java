package io.specula.rules;

import io.specula.model.labels.Labels;
import java.util.Map;

/**
 * A copy of one alert of an alerting rule at the time it was taken, for {@code /api/v1/alerts}
 * and {@code /api/v1/rules}. Times are Unix ms, 0 when not set. Immutable.
 */
public record ActiveAlert(Labels labels, Map<String, String> annotations, AlertState state, double value,
        long activeAtMs, long firedAtMs, long resolvedAtMs, long keepFiringSinceMs, long lastSentAtMs,
        long validUntilMs) {
    public ActiveAlert {
        annotations = Map.copyOf(annotations);
    }
}
