package io.specula.scrape.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import tools.jackson.databind.annotation.JsonDeserialize;
import io.specula.model.config.PromDuration;
import io.specula.model.relabel.RelabelConfig;
import io.specula.model.textparse.ScrapeProtocol;
import java.util.List;
import java.util.Map;

/**
 * One {@code scrape_configs} entry: a job, how to scrape its targets and where to find them.
 * The HTTP client keys ({@code basic_auth}, {@code tls_config}, …) are inline, as in
 * Prometheus, through {@link ScrapeHttpClientConfig}.
 *
 * <p>Mutable while it is bound and validated ({@link ScrapeConfigs#applyDefaults}); treat it as
 * read-only afterwards. Service discovery mechanisms Specula does not have yet are refused with
 * "not supported yet" when the YAML is bound, so the error names file and line.
 */
@JsonPropertyOrder({"job_name", "honor_labels", "honor_timestamps", "track_timestamps_staleness", "params", "scrape_interval",
    "scrape_timeout", "scrape_protocols", "fallback_scrape_protocol", "always_scrape_classic_histograms", "metrics_path",
    "scheme", "enable_compression", "body_size_limit", "sample_limit", "target_limit", "label_limit",
    "label_name_length_limit", "label_value_length_limit", "native_histogram_bucket_limit",
    "native_histogram_min_bucket_factor", "keep_dropped_targets", "metric_name_validation_scheme",
    "metric_name_escaping_scheme", "basic_auth", "authorization", "tls_config", "proxy_url", "no_proxy",
    "follow_redirects", "enable_http2", "http_headers"})
public final class ScrapeConfig extends ScrapeHttpClientConfig {
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
    /** Classic histograms are always scraped: Specula has no native histograms yet. */
    public boolean alwaysScrapeClassicHistograms;
    public long nativeHistogramBucketLimit;
    public Double nativeHistogramMinBucketFactor;

    public List<StaticConfig> staticConfigs;
    public List<FileSdConfig> fileSdConfigs;
    public List<HttpSdConfig> httpSdConfigs;
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

    @JsonSetter("convert_classic_histograms_to_nhcb")
    void convertClassic(boolean v) {
        if (v) {
            throw Unsupported.key("convert_classic_histograms_to_nhcb");
        }
    }

    @JsonSetter("scrape_native_histograms")
    void scrapeNative(boolean v) {
        if (v) {
            throw Unsupported.key("scrape_native_histograms");
        }
    }

    @JsonSetter("scrape_failure_log_file")
    void scrapeFailureLogFile(String v) {
        if (v != null && !v.isEmpty()) {
            throw Unsupported.key("scrape_failure_log_file");
        }
    }

    // Service discovery mechanisms that plug in later, one Discoverer class each.
    @JsonSetter("azure_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void azure(Object v) { throw Unsupported.key("azure_sd_configs"); }
    @JsonSetter("consul_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void consul(Object v) { throw Unsupported.key("consul_sd_configs"); }
    @JsonSetter("digitalocean_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void digitalocean(Object v) { throw Unsupported.key("digitalocean_sd_configs"); }
    @JsonSetter("docker_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void docker(Object v) { throw Unsupported.key("docker_sd_configs"); }
    @JsonSetter("dockerswarm_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void dockerswarm(Object v) { throw Unsupported.key("dockerswarm_sd_configs"); }
    @JsonSetter("dns_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void dns(Object v) { throw Unsupported.key("dns_sd_configs"); }
    @JsonSetter("ec2_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void ec2(Object v) { throw Unsupported.key("ec2_sd_configs"); }
    @JsonSetter("eureka_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void eureka(Object v) { throw Unsupported.key("eureka_sd_configs"); }
    @JsonSetter("gce_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void gce(Object v) { throw Unsupported.key("gce_sd_configs"); }
    @JsonSetter("hetzner_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void hetzner(Object v) { throw Unsupported.key("hetzner_sd_configs"); }
    @JsonSetter("ionos_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void ionos(Object v) { throw Unsupported.key("ionos_sd_configs"); }
    @JsonSetter("kubernetes_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void kubernetes(Object v) { throw Unsupported.key("kubernetes_sd_configs"); }
    @JsonSetter("kuma_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void kuma(Object v) { throw Unsupported.key("kuma_sd_configs"); }
    @JsonSetter("lightsail_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void lightsail(Object v) { throw Unsupported.key("lightsail_sd_configs"); }
    @JsonSetter("linode_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void linode(Object v) { throw Unsupported.key("linode_sd_configs"); }
    @JsonSetter("marathon_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void marathon(Object v) { throw Unsupported.key("marathon_sd_configs"); }
    @JsonSetter("nerve_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void nerve(Object v) { throw Unsupported.key("nerve_sd_configs"); }
    @JsonSetter("nomad_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void nomad(Object v) { throw Unsupported.key("nomad_sd_configs"); }
    @JsonSetter("openstack_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void openstack(Object v) { throw Unsupported.key("openstack_sd_configs"); }
    @JsonSetter("ovhcloud_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void ovhcloud(Object v) { throw Unsupported.key("ovhcloud_sd_configs"); }
    @JsonSetter("puppetdb_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void puppetdb(Object v) { throw Unsupported.key("puppetdb_sd_configs"); }
    @JsonSetter("scaleway_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void scaleway(Object v) { throw Unsupported.key("scaleway_sd_configs"); }
    @JsonSetter("serverset_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void serverset(Object v) { throw Unsupported.key("serverset_sd_configs"); }
    @JsonSetter("stackit_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void stackit(Object v) { throw Unsupported.key("stackit_sd_configs"); }
    @JsonSetter("triton_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void triton(Object v) { throw Unsupported.key("triton_sd_configs"); }
    @JsonSetter("uyuni_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void uyuni(Object v) { throw Unsupported.key("uyuni_sd_configs"); }
    @JsonSetter("vultr_sd_configs") @JsonDeserialize(using = Unsupported.Refuse.class) void vultr(Object v) { throw Unsupported.key("vultr_sd_configs"); }

    public List<StaticConfig> staticConfigs() {
        return staticConfigs == null ? List.of() : staticConfigs;
    }

    public List<FileSdConfig> fileSdConfigs() {
        return fileSdConfigs == null ? List.of() : fileSdConfigs;
    }

    public List<HttpSdConfig> httpSdConfigs() {
        return httpSdConfigs == null ? List.of() : httpSdConfigs;
    }

    public List<RelabelConfig> relabelConfigs() {
        return relabelConfigs == null ? List.of() : relabelConfigs;
    }

    public List<RelabelConfig> metricRelabelConfigs() {
        return metricRelabelConfigs == null ? List.of() : metricRelabelConfigs;
    }
}
