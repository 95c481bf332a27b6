package io.specula.app.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import io.specula.incident.config.IncidentsConfig;
import io.specula.model.config.PromDuration;
import io.specula.remote.write.RemoteWriteConfig;
import io.specula.rules.notifier.config.AlertingConfig;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.discovery.config.Unsupported;
import java.util.List;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * prometheus.yml as bound from YAML, before validation ({@link ConfigLoader} validates it and
 * resolves file references). Keys of features Specula does not have yet are refused where they
 * start, so the error names file and line.
 */
@JsonPropertyOrder({"global", "rule_files", "scrape_config_files", "scrape_configs", "storage", "alerting", "remote_write", "remote_read", "otlp", "incidents"})
public final class PrometheusConfig {
    public GlobalConfig global;
    public List<String> ruleFiles;
    public List<String> scrapeConfigFiles;
    public List<ScrapeConfig> scrapeConfigs;
    public StorageConfig storage;
    public AlertingConfig alerting;
    public List<RemoteWriteConfig> remoteWrite;
    /** Specula's own: incidents and root causes (see docs/incidents.md). */
    public IncidentsConfig incidents;

    /** The {@code storage} block: the TSDB's out-of-order window and the exemplar storage's size. */
    public static final class StorageConfig {
        public TsdbConfig tsdb;
        public ExemplarsConfig exemplars;
    }

    /** {@code storage.exemplars}: used with {@code --enable-feature=exemplar-storage}. */
    public static final class ExemplarsConfig {
        /** The ring's size; Prometheus's default when the block is given without it. */
        public long maxExemplars = io.specula.tsdb.exemplar.CircularExemplarStorage.DEFAULT_MAX_EXEMPLARS;
    }

    /** {@code storage.tsdb}. */
    public static final class TsdbConfig {
        public PromDuration outOfOrderTimeWindow;
    }

    /** {@code runtime.gogc} tunes Go's collector; the JVM has its own, so the block is accepted and has no effect. */
    public static final class RuntimeConfig {
        public Integer gogc;
    }

    @JsonSetter("runtime")
    void runtime(RuntimeConfig ignored) {
        // Accepted so that existing files load; Go's GOGC has no JVM meaning.
    }

    /** {@code remote_read}: endpoints merged into queries ({@link ConfigLoader} validates them). */
    public List<io.specula.remote.read.RemoteReadConfig> remoteRead;

    @JsonSetter("tracing") @JsonDeserialize(using = Unsupported.Refuse.class)
    void tracing(Object v) {
        throw Unsupported.key("tracing");
    }

    /** Prometheus 3's {@code otlp} block: how the OTLP receiver translates names and attributes. */
    public OtlpConfig otlp;

    /** {@code otlp} as bound; {@link ConfigLoader} validates it into the receiver's options. */
    public static final class OtlpConfig {
        public List<String> promoteResourceAttributes;
        public Boolean promoteAllResourceAttributes;
        public List<String> ignoreResourceAttributes;
        public String translationStrategy;
        public Boolean keepIdentifyingResourceAttributes;
        public Boolean convertHistogramsToNhcb;
        public Boolean promoteScopeMetadata;
    }
}
