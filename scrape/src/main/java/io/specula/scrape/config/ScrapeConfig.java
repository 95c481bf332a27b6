package io.specula.scrape.config;

import io.specula.discovery.config.SdHttpClientConfig;
import io.specula.discovery.config.Unsupported;
import io.specula.discovery.config.DiscoveryConfigs;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import io.specula.model.config.PromDuration;
import io.specula.model.relabel.RelabelConfig;
import io.specula.model.textparse.ScrapeProtocol;
import java.util.List;
import java.util.Map;

/**
 * One {@code scrape_configs} entry: a job, how to scrape its targets and where to find them.
 * The HTTP client keys ({@code basic_auth}, {@code tls_config}, …) are inline, as in
 * Prometheus, through {@link SdHttpClientConfig}.
 *
 * <p>Mutable while it is bound and validated ({@link ScrapeConfigs#applyDefaults}); treat it as
 * read-only afterwards. Service discovery mechanisms Specula does not have yet are refused with
 * "not supported yet" when the YAML is bound, so the error names file and line.
 */
@JsonPropertyOrder({"job_name", "honor_labels", "honor_timestamps", "track_timestamps_staleness", "params", "scrape_interval",
    "scrape_timeout", "scrape_protocols", "fallback_scrape_protocol", "scrape_native_histograms",
    "always_scrape_classic_histograms", "convert_classic_histograms_to_nhcb", "metrics_path",
    "scheme", "enable_compression", "body_size_limit", "sample_limit", "target_limit", "label_limit",
    "label_name_length_limit", "label_value_length_limit", "native_histogram_bucket_limit",
    "native_histogram_min_bucket_factor", "keep_dropped_targets", "metric_name_validation_scheme",
    "metric_name_escaping_scheme", "basic_auth", "authorization", "tls_config", "proxy_url", "no_proxy",
    "follow_redirects", "enable_http2", "http_headers"})
public final class ScrapeConfig extends DiscoveryConfigs {
    public String jobName;
    public boolean honorLabels;
    public boolean honorTimestamps = true;
    public boolean trackTimestampsStaleness;
    public Map<String, List<String>> params;
    public PromDuration scrapeInterval;
    public PromDuration scrapeTimeout;
    public List<String> scrapeProtocols;
    public String fallbackScrapeProtocol;
    public String metricsPath = "/metrics";
    public String scheme;
    public boolean enableCompression = true;
    public ByteSize bodySizeLimit;
    public long sampleLimit;
    public long targetLimit;
    public long labelLimit;
    public long labelNameLengthLimit;
    public long labelValueLengthLimit;
    public long keepDroppedTargets;
    public String metricNameValidationScheme;
    public String metricNameEscapingScheme;
    /** Whether native histograms are ingested (Prometheus 3's key; the global value when unset). */
    public Boolean scrapeNativeHistograms;
    /** Whether a histogram's classic series are ingested beside its native one (the global value when unset). */
    public Boolean alwaysScrapeClassicHistograms;
    /** Whether classic histograms are also ingested as native histograms with custom buckets (the global value when unset). */
    public Boolean convertClassicHistogramsToNhcb;
    public long nativeHistogramBucketLimit;
    public Double nativeHistogramMinBucketFactor;

    public List<RelabelConfig> relabelConfigs;
    public List<RelabelConfig> metricRelabelConfigs;

    /** The parsed {@link #scrapeProtocols}, set by validation. */
    @JsonIgnore
    public List<ScrapeProtocol> protocols;
    /** The parsed {@link #fallbackScrapeProtocol} or null, set by validation. */
    @JsonIgnore
    public ScrapeProtocol fallbackProtocol;

    @JsonSetter("scrape_classic_histograms")
    void scrapeClassicHistograms(boolean v) {
        alwaysScrapeClassicHistograms = v; // the Prometheus 2 name of the same switch
    }

    @JsonSetter("scrape_failure_log_file")
    void scrapeFailureLogFile(String v) {
        if (v != null && !v.isEmpty()) {
            throw Unsupported.key("scrape_failure_log_file");
        }
    }

    /** {@link #scrapeNativeHistograms} once defaults are applied. */
    public boolean scrapeNative() {
        return Boolean.TRUE.equals(scrapeNativeHistograms);
    }

    /** {@link #alwaysScrapeClassicHistograms} once defaults are applied. */
    public boolean alwaysScrapeClassic() {
        return Boolean.TRUE.equals(alwaysScrapeClassicHistograms);
    }

    /** {@link #convertClassicHistogramsToNhcb} once defaults are applied. */
    public boolean convertClassicToNhcb() {
        return Boolean.TRUE.equals(convertClassicHistogramsToNhcb);
    }

    public List<RelabelConfig> relabelConfigs() {
        return relabelConfigs == null ? List.of() : relabelConfigs;
    }

    public List<RelabelConfig> metricRelabelConfigs() {
        return metricRelabelConfigs == null ? List.of() : metricRelabelConfigs;
    }
}
