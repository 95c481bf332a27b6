package io.specula.promql.engine;

import io.specula.promql.parser.ParserOptions;

/**
 * Settings of an {@link Engine}, mirroring Prometheus's engine options and flags.
 *
 * @param lookbackDelta how far back an instant selector looks for the latest sample, in ms
 *     ({@code --query.lookback-delta}, default 5m)
 * @param maxSamples the most samples one query may hold in memory at once ({@code --query.max-samples})
 * @param timeout the wall-clock limit of one query in ms ({@code --query.timeout})
 * @param maxConcurrency how many queries may execute at once ({@code --query.max-concurrency})
 * @param defaultSubqueryStep the resolution of {@code [5m:]} subqueries in ms (the global evaluation interval)
 * @param delayedNameRemoval the {@code promql-delayed-name-removal} feature: {@code __name__} is
 *     dropped at the end of evaluation rather than by each function
 * @param experimentalFunctions whether experimental functions ({@code promql-experimental-functions}) run
 * @param parserOptions the syntax features the query parser accepts
 * @param startTimestamps whether range functions ({@code rate}, {@code increase}, {@code irate},
 *     {@code resets}) and {@code start_timestamp()} use the samples' stored start timestamps
 *     (Prometheus's {@code use-start-timestamps} engine feature); off by default
 */
public record EngineOptions(long lookbackDelta, long maxSamples, long timeout, int maxConcurrency,
        long defaultSubqueryStep, boolean delayedNameRemoval, boolean experimentalFunctions,
        ParserOptions parserOptions, boolean startTimestamps) {

    /** Options without start-timestamp use. */
    public EngineOptions(long lookbackDelta, long maxSamples, long timeout, int maxConcurrency,
            long defaultSubqueryStep, boolean delayedNameRemoval, boolean experimentalFunctions,
            ParserOptions parserOptions) {
        this(lookbackDelta, maxSamples, timeout, maxConcurrency, defaultSubqueryStep, delayedNameRemoval,
                experimentalFunctions, parserOptions, false);
    }

    public static final long DEFAULT_LOOKBACK_DELTA = 5 * 60_000L;

    /** Prometheus's defaults: 5m lookback, 50M samples, 2m timeout, 20 concurrent queries, 1m subquery step. */
    public static EngineOptions defaults() {
        return new EngineOptions(DEFAULT_LOOKBACK_DELTA, 50_000_000L, 120_000L, 20, 60_000L, false, false,
                ParserOptions.defaults());
    }

    /** The configuration Prometheus's own PromQL test scripts assume. */
    public static EngineOptions forTests() {
        return new EngineOptions(DEFAULT_LOOKBACK_DELTA, 10_000L, 100_000L, 20, 60_000L, true, true,
                ParserOptions.all(), true);
    }

    public EngineOptions withMaxSamples(long n) {
        return new EngineOptions(lookbackDelta, n, timeout, maxConcurrency, defaultSubqueryStep, delayedNameRemoval,
                experimentalFunctions, parserOptions, startTimestamps);
    }

    public EngineOptions withTimeout(long ms) {
        return new EngineOptions(lookbackDelta, maxSamples, ms, maxConcurrency, defaultSubqueryStep, delayedNameRemoval,
                experimentalFunctions, parserOptions, startTimestamps);
    }

    public EngineOptions withLookbackDelta(long ms) {
        return new EngineOptions(ms <= 0 ? DEFAULT_LOOKBACK_DELTA : ms, maxSamples, timeout, maxConcurrency,
                defaultSubqueryStep, delayedNameRemoval, experimentalFunctions, parserOptions, startTimestamps);
    }

    public EngineOptions withStartTimestamps(boolean on) {
        return new EngineOptions(lookbackDelta, maxSamples, timeout, maxConcurrency, defaultSubqueryStep,
                delayedNameRemoval, experimentalFunctions, parserOptions, on);
    }
}
