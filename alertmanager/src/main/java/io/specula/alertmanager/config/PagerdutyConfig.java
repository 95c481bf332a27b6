package io.specula.alertmanager.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.specula.model.config.PromDuration;
import io.specula.model.config.Secret;
import java.util.List;
import java.util.Map;

/** {@code pagerduty_configs} entry: Events API v2 (routing key) or v1 (service key). */
public final class PagerdutyConfig extends NotifierConfig {
    public Secret serviceKey;
    public String serviceKeyFile;
    public Secret routingKey;
    public String routingKeyFile;
    public String url;
    public String client;
    public String clientUrl;
    public String description;
    public Map<String, String> details;
    public List<Image> images;
    public List<Link> links;
    public String source;
    public String severity;
    @JsonProperty("class")
    public String eventClass;
    public String component;
    public String group;
    public PromDuration timeout;
    /** Whether {@code url} was set on the entry rather than taken from {@code global}. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean urlOnEntry;

    /** An image shown with the incident. */
    public static final class Image {
        public String src;
        public String alt;
        public String href;
    }

    /** A link shown with the incident. */
    public static final class Link {
        public String href;
        public String text;
    }

    public PagerdutyConfig() {
        super(true);
    }

    /** Whether the v1 API (service key) is used rather than Events API v2. */
    public boolean usesV1() {
        return set(serviceKey) || set(serviceKeyFile);
    }

    @Override
    void validateOwn() throws ConfigValidationException {
        checkUrl(url);
        urlOnEntry = set(url);
        if (!set(routingKey) && !set(serviceKey) && !set(routingKeyFile) && !set(serviceKeyFile)) {
            throw new ConfigValidationException("missing service or routing key in PagerDuty config");
        }
        exclusive(set(routingKey), set(routingKeyFile), "routing_key & routing_key_file");
        exclusive(set(serviceKey), set(serviceKeyFile), "service_key & service_key_file");
    }

    @Override
    void applyGlobal(GlobalConfig g) throws ConfigValidationException {
        super.applyGlobal(g);
        if (!set(url)) {
            url = g.pagerdutyUrl;
        }
    }
}
