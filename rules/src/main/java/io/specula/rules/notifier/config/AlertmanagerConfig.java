package io.specula.rules.notifier.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.model.relabel.RelabelConfig;
import io.specula.scrape.config.ConfigValidationException;
import io.specula.scrape.config.FileSdConfig;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.HttpSdConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.scrape.config.ScrapeHttpClientConfig;
import io.specula.scrape.config.StaticConfig;
import io.specula.scrape.config.Unsupported;
import java.util.List;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * One {@code alerting.alertmanagers} entry: how to find a set of Alertmanagers (static, file or
 * HTTP discovery, then {@code relabel_configs} over {@code __address__}, {@code __scheme__} and
 * {@code __alerts_path__}) and how to talk to them. The HTTP client keys ({@code basic_auth},
 * {@code authorization}, {@code tls_config}, …) are inline, as in Prometheus, with scrape's policy
 * ({@code oauth2} refused as not supported yet).
 *
 * <p>Prometheus 3 speaks only API v2 to Alertmanagers; {@code api_version: v1} is refused with its
 * wording when the YAML is bound. Discovery mechanisms other than static, file and HTTP, and
 * {@code sigv4}, are refused as not supported yet.
 */
public final class AlertmanagerConfig extends ScrapeHttpClientConfig {
    public static final PromDuration DEFAULT_TIMEOUT = PromDuration.ofSeconds(10);
    public static final String API_V2 = "v2";

    public String scheme;
    public String pathPrefix;
    public PromDuration timeout;
    /** Only {@code v2}; set through {@link #apiVersion(String)}. */
    @JsonIgnore
    public String apiVersion = API_V2;

    public List<StaticConfig> staticConfigs;
    public List<FileSdConfig> fileSdConfigs;
    public List<HttpSdConfig> httpSdConfigs;
    /** Applied to discovered Alertmanagers. */
    public List<RelabelConfig> relabelConfigs;
    /** Applied to alerts sent to this set of Alertmanagers only, after the global ones. */
    public List<RelabelConfig> alertRelabelConfigs;

    @JsonSetter("api_version")
    void apiVersion(String v) {
        if (!API_V2.equals(v)) {
            throw new IllegalArgumentException("expected Alertmanager api version to be one of [v2] but got " + v);
        }
        apiVersion = v;
    }

    @JsonSetter("sigv4") @JsonDeserialize(using = Unsupported.Refuse.class) void sigv4(Object v) { throw Unsupported.key("sigv4"); }

    // Discovery mechanisms that plug in later, as for scrape configurations.
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

    public List<RelabelConfig> relabelConfigs() {
        return relabelConfigs == null ? List.of() : relabelConfigs;
    }

    public List<RelabelConfig> alertRelabelConfigs() {
        return alertRelabelConfigs == null ? List.of() : alertRelabelConfigs;
    }

    /** Checks the entry with Prometheus's wording and fills its defaults; see {@link AlertingConfig#applyDefaults}. */
    void applyDefaults(NameValidation scheme) throws ConfigValidationException {
        validateHttp();
        for (RelabelConfig r : relabelConfigs()) {
            if (r == null) {
                throw new ConfigValidationException("empty or null Alertmanager target relabeling rule");
            }
        }
        for (RelabelConfig r : alertRelabelConfigs()) {
            if (r == null) {
                throw new ConfigValidationException("empty or null Alertmanager alert relabeling rule");
            }
            AlertingConfig.validateRule(r, scheme);
        }
        // Discovery sections get scrape's checks and defaults (refresh intervals, URL checks,
        // "not a valid hostname" for URLs in static targets unless relabeling may fix them).
        ScrapeConfig job = discoveryJob("alertmanagers");
        job.metricNameValidationScheme = scheme == NameValidation.LEGACY ? "legacy" : "utf8";
        ScrapeConfigs.applyDefaults(job, GlobalConfig.defaults());
        if (this.scheme == null || this.scheme.isEmpty()) {
            this.scheme = "http";
        }
        if (pathPrefix == null) {
            pathPrefix = "";
        }
        // Prometheus keeps an explicit 0s, which makes every send time out at once; Specula
        // reads it as "unset" rather than reproduce a configuration that can never deliver.
        if (timeout == null || timeout.isZero()) {
            timeout = DEFAULT_TIMEOUT;
        }
    }

    /**
     * This entry's discovery sections as a scrape job named {@code name}, which is how the
     * scrape module's {@link io.specula.scrape.discovery.DiscoveryManager} takes them.
     */
    public ScrapeConfig discoveryJob(String name) {
        ScrapeConfig sc = new ScrapeConfig();
        sc.jobName = name;
        sc.staticConfigs = staticConfigs;
        sc.fileSdConfigs = fileSdConfigs;
        sc.httpSdConfigs = httpSdConfigs;
        sc.relabelConfigs = relabelConfigs;
        return sc;
    }
}
