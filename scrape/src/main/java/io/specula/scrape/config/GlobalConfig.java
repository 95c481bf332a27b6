package io.specula.scrape.config;

import io.specula.discovery.config.ConfigValidationException;
import io.specula.discovery.config.Unsupported;
import com.fasterxml.jackson.annotation.JsonSetter;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.LabelNames;
import io.specula.model.labels.Labels;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code global} block of prometheus.yml: defaults for every scrape configuration and the
 * labels added to data leaving the server. Meant to be embedded by the top-level configuration;
 * {@link #applyDefaults()} fills unset values as Prometheus does (scrape every 1m with a 10s
 * timeout, evaluate rules every 1m).
 */
public final class GlobalConfig {
    public static final PromDuration DEFAULT_SCRAPE_INTERVAL = PromDuration.ofMinutes(1);
    public static final PromDuration DEFAULT_SCRAPE_TIMEOUT = PromDuration.ofSeconds(10);
    public static final PromDuration DEFAULT_EVALUATION_INTERVAL = PromDuration.ofMinutes(1);
    /** Prometheus 3's default preference: OpenMetrics first, then the text format. */
    public static final List<String> DEFAULT_SCRAPE_PROTOCOLS =
            List.of("OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4");
    /** Prometheus 3's default when native histograms are scraped: protobuf (the only format carrying them) first. */
    public static final List<String> PROTO_FIRST_SCRAPE_PROTOCOLS = List.of(
            "PrometheusProto", "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4");

    public PromDuration scrapeInterval;
    public PromDuration scrapeTimeout;
    public PromDuration evaluationInterval;
    public PromDuration ruleQueryOffset;
    public List<String> scrapeProtocols;
    public Map<String, String> externalLabels;
    public String queryLogFile;
    public ByteSize bodySizeLimit;
    public long sampleLimit;
    public long targetLimit;
    public long labelLimit;
    public long labelNameLengthLimit;
    public long labelValueLengthLimit;
    public long keepDroppedTargets;
    public String metricNameValidationScheme;
    public String metricNameEscapingScheme;
    public boolean alwaysScrapeClassicHistograms;
    /** Null when the file does not say; {@code --enable-feature=native-histograms} then turns it on. */
    public Boolean scrapeNativeHistograms;
    public boolean convertClassicHistogramsToNhcb;
    /** Whether {@link #scrapeProtocols} came from the file (a job with native histograms then keeps it). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean scrapeProtocolsGiven;

    @JsonSetter("scrape_failure_log_file")
    void scrapeFailureLogFile(String v) {
        if (v != null && !v.isEmpty()) {
            throw Unsupported.key("scrape_failure_log_file");
        }
    }

    /** A global block with every default applied, as when prometheus.yml has none. */
    public static GlobalConfig defaults() {
        GlobalConfig g = new GlobalConfig();
        try {
            g.applyDefaults();
        } catch (ConfigValidationException e) {
            throw new AssertionError(e);
        }
        return g;
    }

    /** Fills unset values and checks the block, with Prometheus's wording. */
    public void applyDefaults() throws ConfigValidationException {
        if (scrapeInterval == null || scrapeInterval.isZero()) {
            scrapeInterval = DEFAULT_SCRAPE_INTERVAL;
        }
        if (scrapeTimeout != null && !scrapeTimeout.isZero() && scrapeTimeout.compareTo(scrapeInterval) > 0) {
            throw new ConfigValidationException("global scrape timeout greater than scrape interval");
        }
        if (scrapeTimeout == null || scrapeTimeout.isZero()) {
            scrapeTimeout = DEFAULT_SCRAPE_TIMEOUT.compareTo(scrapeInterval) > 0 ? scrapeInterval : DEFAULT_SCRAPE_TIMEOUT;
        }
        if (evaluationInterval == null || evaluationInterval.isZero()) {
            evaluationInterval = DEFAULT_EVALUATION_INTERVAL;
        }
        if (ruleQueryOffset == null) {
            ruleQueryOffset = PromDuration.ZERO;
        }
        if (scrapeProtocols == null) {
            scrapeProtocols = DEFAULT_SCRAPE_PROTOCOLS;
        } else if (scrapeProtocols != DEFAULT_SCRAPE_PROTOCOLS && scrapeProtocols != PROTO_FIRST_SCRAPE_PROTOCOLS) {
            scrapeProtocolsGiven = true;
        }
        try {
            ScrapeConfigs.checkProtocols(scrapeProtocols);
        } catch (ConfigValidationException e) {
            throw new ConfigValidationException(e.getMessage() + " for global config");
        }
        if (bodySizeLimit == null) {
            bodySizeLimit = ByteSize.ZERO;
        }
        if (metricNameValidationScheme == null || metricNameValidationScheme.isEmpty()) {
            metricNameValidationScheme = "utf8";
        }
        ScrapeConfigs.checkValidationScheme(metricNameValidationScheme);
        if (metricNameEscapingScheme == null || metricNameEscapingScheme.isEmpty()) {
            metricNameEscapingScheme = metricNameValidationScheme.equals("legacy") ? "underscores" : "allow-utf-8";
        }
        ScrapeConfigs.checkEscapingScheme(metricNameEscapingScheme, metricNameValidationScheme);
        if (externalLabels != null) {
            for (Map.Entry<String, String> e : externalLabels.entrySet()) {
                String name = e.getKey();
                String value = e.getValue() == null ? "" : e.getValue();
                if (!LabelNames.isValidUtf8Name(name)) {
                    throw new ConfigValidationException("\"" + name + "\" is not a valid label name");
                }
                if (!LabelNames.isWellFormed(value)) {
                    throw new ConfigValidationException("\"" + value + "\" is not a valid label value");
                }
            }
        }
    }

    /** The external labels as a label set (empty values left out, as Prometheus drops them). */
    public Labels externalLabels() {
        if (externalLabels == null || externalLabels.isEmpty()) {
            return Labels.EMPTY;
        }
        var b = new io.specula.model.labels.LabelsBuilder();
        new TreeMap<>(externalLabels).forEach((k, v) -> b.set(k, v == null ? "" : v));
        return b.build();
    }
}
