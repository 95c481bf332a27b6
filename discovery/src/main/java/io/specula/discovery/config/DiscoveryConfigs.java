package io.specula.discovery.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import io.specula.discovery.Discoverer;
import io.specula.discovery.StaticDiscoverer;
import io.specula.discovery.file.FileDiscoverer;
import io.specula.discovery.http.HttpDiscoverer;
import io.specula.model.config.ConfigFingerprint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The discovery keys shared by everything Prometheus finds through service discovery (scrape
 * jobs, Alertmanagers): {@code static_configs}, {@code file_sd_configs} and {@code http_sd_configs},
 * with the HTTP client keys inline. The other mechanisms Prometheus has are refused as not
 * supported yet where their key starts, so the error names file and line.
 */
public abstract class DiscoveryConfigs extends SdHttpClientConfig {
    public List<StaticConfig> staticConfigs;
    public List<FileSdConfig> fileSdConfigs;
    public List<HttpSdConfig> httpSdConfigs;

    // Mechanisms that plug in later, one Discoverer class each; refused until then.
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

    /**
     * Checks the discovery sections with Prometheus's wording and fills their defaults.
     *
     * @param relabeled whether relabeling may still rewrite addresses, in which case static
     *     targets that look like URLs are not refused (Prometheus's rule)
     */
    public void validateDiscovery(boolean relabeled) throws ConfigValidationException {
        if (!relabeled) {
            for (StaticConfig s : staticConfigs()) {
                if (s != null && s.targets != null) {
                    for (String t : s.targets) {
                        checkTargetAddress(t);
                    }
                }
            }
        }
        for (FileSdConfig f : fileSdConfigs()) {
            nonNull(f, "file_sd_configs").validate();
        }
        for (HttpSdConfig h : httpSdConfigs()) {
            nonNull(h, "http_sd_configs").validate();
        }
        for (StaticConfig s : staticConfigs()) {
            nonNull(s, "static_configs");
        }
    }

    private static <T> T nonNull(T section, String key) throws ConfigValidationException {
        if (section == null) {
            throw new ConfigValidationException("empty or null section in " + key);
        }
        return section;
    }

    /** Prometheus refuses URLs where a host:port belongs. */
    public static void checkTargetAddress(String address) throws ConfigValidationException {
        if (address != null && address.contains("/")) {
            throw new ConfigValidationException("\"" + address + "\" is not a valid hostname");
        }
    }

    /** Equal for two validated configurations exactly when they discover the same way (secrets included). */
    public String discoveryFingerprint() {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("static_configs", staticConfigs());
        sd.put("file_sd_configs", fileSdConfigs());
        sd.put("http_sd_configs", httpSdConfigs());
        return ConfigFingerprint.of(sd);
    }

    /**
     * The discoverers for these (validated) sections, one per configured mechanism entry.
     *
     * @param baseDir directory relative file paths start from (the config file's), or null
     */
    public List<Discoverer> discoverers(Path baseDir) {
        List<Discoverer> ds = new ArrayList<>();
        if (!staticConfigs().isEmpty()) {
            ds.add(new StaticDiscoverer(staticConfigs()));
        }
        for (FileSdConfig f : fileSdConfigs()) {
            ds.add(new FileDiscoverer(f, baseDir));
        }
        for (HttpSdConfig h : httpSdConfigs()) {
            ds.add(new HttpDiscoverer(h));
        }
        return ds;
    }
}
