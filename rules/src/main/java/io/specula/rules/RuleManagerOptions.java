package io.specula.rules;

import io.specula.model.labels.Labels;

/**
 * Settings of a {@link RuleManager}, named after Prometheus's flags. Immutable.
 *
 * @param outageToleranceMs {@code --rules.alert.for-outage-tolerance} (1h): how far back
 *     {@code ALERTS_FOR_STATE} is read when restoring {@code for} state after a restart
 * @param forGracePeriodMs {@code --rules.alert.for-grace-period} (10m): the least time a
 *     restored alert stays pending before it fires, and the shortest {@code for} that is restored
 * @param resendDelayMs {@code --rules.alert.resend-delay} (1m): minimum wait before resending a firing alert
 * @param maxConcurrentEvals {@code --rules.max-concurrent-evals} (4): how many groups evaluate at
 *     the same moment; others wait their turn (0 or less: no limit)
 * @param defaultQueryOffsetMs the global {@code rule_query_offset} used by groups without {@code query_offset}
 * @param externalLabels {@code global.external_labels}, visible to templates as {@code $externalLabels}
 * @param externalUrl {@code --web.external-url}, visible as {@code $externalURL} and used in generator URLs
 */
public record RuleManagerOptions(long outageToleranceMs, long forGracePeriodMs, long resendDelayMs,
        int maxConcurrentEvals, long defaultQueryOffsetMs, Labels externalLabels, String externalUrl) {

    public RuleManagerOptions {
        externalLabels = externalLabels == null ? Labels.EMPTY : externalLabels;
        externalUrl = externalUrl == null ? "" : externalUrl;
    }

    /** Prometheus's defaults, no external labels or URL. */
    public static RuleManagerOptions defaults() {
        return new RuleManagerOptions(60 * 60_000L, 10 * 60_000L, 60_000L, 4, 0, Labels.EMPTY, "");
    }

    public RuleManagerOptions withExternal(Labels labels, String url) {
        return new RuleManagerOptions(outageToleranceMs, forGracePeriodMs, resendDelayMs, maxConcurrentEvals,
                defaultQueryOffsetMs, labels, url);
    }

    public RuleManagerOptions withResendDelay(long ms) {
        return new RuleManagerOptions(outageToleranceMs, forGracePeriodMs, ms, maxConcurrentEvals,
                defaultQueryOffsetMs, externalLabels, externalUrl);
    }

    public RuleManagerOptions withForState(long outageToleranceMs, long forGracePeriodMs) {
        return new RuleManagerOptions(outageToleranceMs, forGracePeriodMs, resendDelayMs, maxConcurrentEvals,
                defaultQueryOffsetMs, externalLabels, externalUrl);
    }

    public RuleManagerOptions withMaxConcurrentEvals(int n) {
        return new RuleManagerOptions(outageToleranceMs, forGracePeriodMs, resendDelayMs, n, defaultQueryOffsetMs,
                externalLabels, externalUrl);
    }

    public RuleManagerOptions withDefaultQueryOffset(long ms) {
        return new RuleManagerOptions(outageToleranceMs, forGracePeriodMs, resendDelayMs, maxConcurrentEvals, ms,
                externalLabels, externalUrl);
    }
}
