package io.specula.remote.write;

import com.fasterxml.jackson.annotation.JsonSetter;
import io.specula.discovery.config.ConfigValidationException;
import io.specula.model.config.ConfigException;
import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.model.relabel.InvalidRelabelConfigException;
import io.specula.model.relabel.RelabelConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code remote_write} entry of prometheus.yml, with Prometheus's keys, defaults and error
 * texts. The HTTP client keys are inline, as in Prometheus. {@code sigv4}, {@code azuread} and
 * {@code google_iam} are cloud-vendor signers Specula does not build: they are refused by name.
 */
public final class RemoteWriteConfig extends HttpClientConfig {
    public static final String MESSAGE_V1 = "prometheus.WriteRequest";
    public static final String MESSAGE_V2 = "io.prometheus.write.v2.Request";

    public String url;
    public PromDuration remoteTimeout;
    public Map<String, String> headers;
    public List<RelabelConfig> writeRelabelConfigs;
    public String name;
    public boolean sendExemplars;
    public boolean sendNativeHistograms;
    public boolean roundRobinDns;
    public String protobufMessage;
    public QueueConfig queueConfig;
    public MetadataConfig metadataConfig;

    /** {@code queue_config}; zero or absent keys take Prometheus's defaults in {@link #validate}. */
    public static final class QueueConfig {
        public int capacity;
        public int maxShards;
        public int minShards;
        public int maxSamplesPerSend;
        public PromDuration batchSendDeadline;
        public PromDuration minBackoff;
        public PromDuration maxBackoff;
        @com.fasterxml.jackson.annotation.JsonProperty("retry_on_http_429")
        public boolean retryOnHttp429;
        public PromDuration sampleAgeLimit;
    }

    /** {@code metadata_config}. */
    public static final class MetadataConfig {
        public Boolean send;
        public PromDuration sendInterval;
        public int maxSamplesPerSend;
    }

    /** Headers the sender sets itself (lower case), as Prometheus's list. */
    private static final Set<String> RESERVED = Set.of("host", "content-encoding", "content-length", "content-type",
            "user-agent", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "www-authenticate",
            "accept-encoding", "x-prometheus-remote-write-version", "x-prometheus-remote-read-version",
            "x-prometheus-scrape-timeout-seconds");

    private static Object unsupported(String key) {
        throw new IllegalArgumentException(key + " is not supported by Specula (a cloud vendor's request signer); "
                + "use basic_auth, authorization, oauth2 or tls_config, or a signing proxy in front of the receiver");
    }

    @JsonSetter("sigv4") void sigv4(Object v) { unsupported("sigv4"); }
    @JsonSetter("azuread") void azuread(Object v) { unsupported("azuread"); }
    @JsonSetter("google_iam") void googleIam(Object v) { unsupported("google_iam"); }

    /**
     * Checks the entry with Prometheus's wording and fills in its defaults. Call once, before
     * {@link #validateAll} checks the entries against each other.
     */
    public void validate(NameValidation scheme) throws ConfigValidationException {
        if (url == null || url.isEmpty()) {
            throw new ConfigValidationException("url for remote_write is empty");
        }
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getHost() == null
                    || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new ConfigValidationException("invalid remote_write url \"" + url + "\": scheme must be http or https and a host is required");
            }
        } catch (URISyntaxException e) {
            throw new ConfigValidationException("parse \"" + url + "\": " + e.getReason());
        }
        for (RelabelConfig r : writeRelabelConfigs()) {
            if (r == null) {
                throw new ConfigValidationException("empty or null relabeling rule in remote write config");
            }
        }
        if (headers != null) {
            for (String h : headers.keySet()) {
                String l = h.toLowerCase(Locale.ROOT);
                if (l.equals("authorization")) {
                    throw new ConfigValidationException("authorization header must be changed via the basic_auth, "
                            + "authorization, oauth2, sigv4, azuread or google_iam parameter");
                }
                if (RESERVED.contains(l)) {
                    throw new ConfigValidationException(h + " is a reserved header. It must not be changed");
                }
            }
        }
        if (protobufMessage == null || protobufMessage.isEmpty()) {
            protobufMessage = MESSAGE_V1;
        } else if (!protobufMessage.equals(MESSAGE_V1) && !protobufMessage.equals(MESSAGE_V2)) {
            throw new ConfigValidationException("invalid protobuf_message value: unknown type for remote write protobuf message "
                    + protobufMessage + ", supported: " + MESSAGE_V1 + ", " + MESSAGE_V2);
        }
        try {
            validate(HttpClientConfig::checkProxyUrl);
        } catch (ConfigException e) {
            throw new ConfigValidationException(e.getMessage());
        }
        List<String> auth = new ArrayList<>();
        if (basicAuth != null) {
            auth.add("basic_auth");
        }
        if (authorization != null || bearerToken != null || bearerTokenFile != null) {
            auth.add("authorization");
        }
        if (oauth2 != null) {
            auth.add("oauth2");
        }
        if (auth.size() > 1) {
            throw new ConfigValidationException("at most one of basic_auth, authorization, oauth2, sigv4, azuread or "
                    + "google_iam must be configured. Currently configured: [" + String.join(" ", auth) + "]");
        }
        foldBearerToken();
        for (RelabelConfig r : writeRelabelConfigs()) {
            try {
                r.validate(scheme);
            } catch (InvalidRelabelConfigException e) {
                throw new ConfigValidationException(e.getMessage());
            }
        }
        if (remoteTimeout == null) {
            remoteTimeout = PromDuration.ofSeconds(30);
        }
        QueueConfig q = queueConfig == null ? new QueueConfig() : queueConfig;
        queueConfig = q;
        if (q.maxShards == 0) {
            q.maxShards = 50;
        }
        if (q.minShards == 0) {
            q.minShards = 1;
        }
        if (q.maxSamplesPerSend == 0) {
            q.maxSamplesPerSend = 2000;
        }
        if (q.capacity == 0) {
            q.capacity = 10000;
        }
        if (q.batchSendDeadline == null || q.batchSendDeadline.isZero()) {
            q.batchSendDeadline = PromDuration.ofSeconds(5);
        }
        if (q.minBackoff == null || q.minBackoff.isZero()) {
            q.minBackoff = PromDuration.ofMillis(30);
        }
        if (q.maxBackoff == null || q.maxBackoff.isZero()) {
            q.maxBackoff = PromDuration.ofSeconds(5);
        }
        if (q.sampleAgeLimit == null) {
            q.sampleAgeLimit = PromDuration.ZERO;
        }
        if (q.minShards < 0 || q.maxShards < 0 || q.capacity < 0 || q.maxSamplesPerSend < 0) {
            throw new ConfigValidationException("queue_config values must not be negative");
        }
        if (q.minShards > q.maxShards) {
            throw new ConfigValidationException("queue_config: min_shards (" + q.minShards + ") is greater than max_shards (" + q.maxShards + ")");
        }
        if (q.minBackoff.millis() > q.maxBackoff.millis()) {
            throw new ConfigValidationException("queue_config: min_backoff is greater than max_backoff");
        }
        MetadataConfig m = metadataConfig == null ? new MetadataConfig() : metadataConfig;
        metadataConfig = m;
        if (m.send == null) {
            m.send = true;
        }
        if (m.sendInterval == null || m.sendInterval.isZero()) {
            m.sendInterval = PromDuration.ofMinutes(1);
        }
        if (m.maxSamplesPerSend == 0) {
            m.maxSamplesPerSend = 2000;
        }
    }

    /** Prometheus's checks across entries: unique names, no two identical entries. */
    public static void validateAll(List<RemoteWriteConfig> all, NameValidation scheme) throws ConfigValidationException {
        Map<String, RemoteWriteConfig> names = new LinkedHashMap<>();
        Map<String, RemoteWriteConfig> hashes = new LinkedHashMap<>();
        java.util.Set<String> positionKeys = new java.util.HashSet<>();
        for (RemoteWriteConfig c : all) {
            if (c == null) {
                throw new ConfigValidationException("empty or null remote write config");
            }
            c.validate(scheme);
            if (c.name != null && !c.name.isEmpty() && names.put(c.name, c) != null) {
                throw new ConfigValidationException("found multiple remote write configs with job name \"" + c.name + "\"");
            }
            if (hashes.put(c.fingerprint(), c) != null) {
                throw new ConfigValidationException("duplicate remote write configs are not allowed, found duplicate for URL: " + c.url);
            }
            if (!positionKeys.add(c.positionKey())) {
                c.positionKeyOverride = "cfg-" + c.fingerprint().substring(0, 16);
            }
        }
    }

    public List<RelabelConfig> writeRelabelConfigs() {
        return writeRelabelConfigs == null ? List.of() : writeRelabelConfigs;
    }

    public Map<String, String> headers() {
        return headers == null ? Map.of() : headers;
    }

    public boolean v2() {
        return MESSAGE_V2.equals(protobufMessage);
    }

    /**
     * A digest of everything that shapes the queue (after {@link #validate}): a reload restarts a
     * queue only when it changes. Secrets are digested, never shown.
     */
    public String fingerprint() {
        return sha256(io.specula.model.config.ConfigFingerprint.of(this));
    }

    /** The {@code remote_name} label: {@code name}, or the first 6 hex digits of the entry's digest, as Prometheus. */
    public String remoteName() {
        return name != null && !name.isEmpty() ? name : fingerprint().substring(0, 6);
    }

    /**
     * Names the queue's saved WAL position: stable across changes that restart the queue (its
     * name, or its URL when unnamed), so a tuned queue resumes where the old one stopped.
     */
    public String positionKey() {
        if (positionKeyOverride != null) {
            return positionKeyOverride;
        }
        return name != null && !name.isEmpty() ? "name-" + sha256(name).substring(0, 16) : "url-" + sha256(url).substring(0, 16);
    }

    /** Set by {@link #validateAll} for a second unnamed entry with the same URL, which must not share the first's file. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    private String positionKeyOverride;

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
