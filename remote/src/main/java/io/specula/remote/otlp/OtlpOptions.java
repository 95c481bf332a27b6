package io.specula.remote.otlp;

import java.util.List;

/**
 * The {@code otlp:} block of prometheus.yml and the receiver's flags, as the translation uses
 * them. Immutable; a reload builds a new one.
 *
 * @param strategy {@code translation_strategy}
 * @param promoteResourceAttributes {@code promote_resource_attributes}: resource attributes copied onto every series
 * @param promoteAllResourceAttributes {@code promote_all_resource_attributes}
 * @param ignoreResourceAttributes {@code ignore_resource_attributes}: not promoted when all are
 * @param keepIdentifyingResourceAttributes {@code keep_identifying_resource_attributes}: {@code service.*} stay on {@code target_info}
 * @param promoteScopeMetadata {@code promote_scope_metadata}: {@code otel_scope_*} labels on every series
 * @param convertHistogramsToNhcb {@code convert_histograms_to_nhcb}: explicit-bucket histograms become
 *     native histograms with custom buckets instead of classic {@code _bucket} series
 * @param allowDeltaTemporality delta sums and histograms are stored as they come instead of dropped
 *     ({@code --enable-feature=otlp-native-delta-ingestion})
 * @param lookbackDeltaMs the query lookback delta; {@code target_info} gets a sample every half of it
 */
public record OtlpOptions(
        TranslationStrategy strategy,
        List<String> promoteResourceAttributes,
        boolean promoteAllResourceAttributes,
        List<String> ignoreResourceAttributes,
        boolean keepIdentifyingResourceAttributes,
        boolean promoteScopeMetadata,
        boolean convertHistogramsToNhcb,
        boolean allowDeltaTemporality,
        long lookbackDeltaMs) {

    public static final OtlpOptions DEFAULTS = new OtlpOptions(TranslationStrategy.UnderscoreEscapingWithSuffixes,
            List.of(), false, List.of(), false, false, false, false, 5 * 60_000L);

    public OtlpOptions {
        promoteResourceAttributes = List.copyOf(promoteResourceAttributes);
        ignoreResourceAttributes = List.copyOf(ignoreResourceAttributes);
        if (lookbackDeltaMs <= 0) {
            throw new IllegalArgumentException("lookback delta must be positive");
        }
    }

    public OtlpOptions withAllowDeltaTemporality(boolean allow) {
        return new OtlpOptions(strategy, promoteResourceAttributes, promoteAllResourceAttributes, ignoreResourceAttributes,
                keepIdentifyingResourceAttributes, promoteScopeMetadata, convertHistogramsToNhcb, allow, lookbackDeltaMs);
    }

    public OtlpOptions withLookbackDeltaMs(long ms) {
        return new OtlpOptions(strategy, promoteResourceAttributes, promoteAllResourceAttributes, ignoreResourceAttributes,
                keepIdentifyingResourceAttributes, promoteScopeMetadata, convertHistogramsToNhcb, allowDeltaTemporality, ms);
    }

    /** Prometheus 3's {@code otlp.translation_strategy} values, spelled as in its config. */
    public enum TranslationStrategy {
        /** Names and label names escaped to the legacy character set; unit, {@code _total} and {@code _ratio} suffixes added. */
        UnderscoreEscapingWithSuffixes(true, true),
        /** Escaped as above, no suffixes. */
        UnderscoreEscapingWithoutSuffixes(true, false),
        /** UTF-8 names kept; suffixes added. */
        NoUTF8EscapingWithSuffixes(false, true),
        /** Names kept exactly, no suffixes. */
        NoTranslation(false, false);

        final boolean escape;
        final boolean suffixes;

        TranslationStrategy(boolean escape, boolean suffixes) {
            this.escape = escape;
            this.suffixes = suffixes;
        }

        /** The strategy named {@code s}, or an error listing the valid names. */
        public static TranslationStrategy parse(String s) {
            for (TranslationStrategy t : values()) {
                if (t.name().equals(s)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unsupported OTLP translation strategy \"" + s + "\"");
        }
    }
}
