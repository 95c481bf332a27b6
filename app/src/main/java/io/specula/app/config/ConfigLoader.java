package io.specula.app.config;

import io.specula.incident.config.IncidentsConfig;
import io.specula.model.config.ConfigException;
import io.specula.model.config.Globs;
import io.specula.model.config.YamlConfigLoader;
import io.specula.remote.write.RemoteWriteConfig;
import io.specula.rules.notifier.config.AlertingConfig;
import io.specula.discovery.config.ConfigValidationException;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import java.nio.file.Path;
import io.specula.remote.otlp.OtlpOptions;
import io.specula.remote.read.RemoteReadConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Loads and validates prometheus.yml the way Prometheus does: defaults from {@code global},
 * {@code rule_files} and {@code scrape_config_files} patterns checked and resolved against the
 * file's directory, the scrape configurations of the listed files merged in, job names unique
 * across all of them. Errors name the file (and, from the YAML binder, line and key).
 */
public final class ConfigLoader {
    /** Prometheus's check for rule and scrape-config file patterns: a '*' only in the last element. */
    private static final Pattern FILE_PATTERN = Pattern.compile("^[^*]*(\\*[^/]*)?$");

    private ConfigLoader() {}

    /**
     * A validated configuration.
     *
     * @param ruleFiles the {@code rule_files} patterns, resolved against the config file's directory
     *     as the file was named (relative when it was)
     * @param alerting the {@code alerting} block, validated, or null
     * @param outOfOrderTimeWindowMillis {@code storage.tsdb.out_of_order_time_window}, 0 when unset
     * @param yaml the configuration as Specula understood it, secrets redacted ({@code status/config})
     * @param incidents the {@code incidents} block with its dependency files read (defaults when absent)
     * @param maxExemplars {@code storage.exemplars.max_exemplars} (Prometheus's default 100000 when
     *     unset; 0 for a negative value), the exemplar ring's size with {@code --enable-feature=exemplar-storage}
     * @param otlp the {@code otlp} block as the OTLP receiver's options (defaults when absent)
     * @param remoteRead the {@code remote_read} entries, validated
     */
    public record Loaded(Path file, Path dir, GlobalConfig global, List<ScrapeConfig> scrapeConfigs,
            List<String> ruleFiles, AlertingConfig alerting, long outOfOrderTimeWindowMillis, String yaml,
            IncidentsConfig.Resolved incidents, long maxExemplars, OtlpOptions otlp, List<RemoteReadConfig> remoteRead,
            List<RemoteWriteConfig> remoteWrite) {}

    /** Loads {@code file}; errors read as Prometheus's: {@code parsing YAML file F: [line:col: key: ]what}. */
    public static Loaded load(Path file) throws ConfigException {
        return load(file, false);
    }

    /**
     * Loads {@code file}; {@code nativeHistograms} ({@code --enable-feature=native-histograms})
     * makes {@code scrape_native_histograms} default to true, as in Prometheus 3.
     */
    public static Loaded load(Path file, boolean nativeHistograms) throws ConfigException {
        try {
            PrometheusConfig raw = YamlConfigLoader.load(file, PrometheusConfig.class);
            return validate(raw == null ? new PrometheusConfig() : raw, file, file.toAbsolutePath().getParent(), nativeHistograms);
        } catch (ConfigException e) {
            String msg = e.getMessage();
            String prefix = file + ":";
            if (msg.startsWith(prefix)) {
                msg = msg.substring(prefix.length()).stripLeading();
            }
            throw new ConfigException("parsing YAML file " + file + ": " + msg, e);
        }
    }

    /** Validates YAML text as if read from {@code source} in {@code dir} (the embedded default, tests). */
    public static Loaded parse(String text, Path source, Path dir) throws ConfigException {
        return parse(text, source, dir, false);
    }

    /** As {@link #parse(String, Path, Path)}, with {@code nativeHistograms} as in {@link #load(Path, boolean)}. */
    public static Loaded parse(String text, Path source, Path dir, boolean nativeHistograms) throws ConfigException {
        PrometheusConfig raw = YamlConfigLoader.parse(text, source.toString(), PrometheusConfig.class);
        return validate(raw == null ? new PrometheusConfig() : raw, source, dir, nativeHistograms);
    }

    /** Where the in-process host exporter is served on the server's own HTTP (no second port). */
    public static final String HOST_METRICS_PATH = "/node/metrics";
    /** The file name the printed default configuration gives the default rules. */
    public static final String DEFAULT_RULES_FILE = "specula-default-rules.yml";

    /**
     * The configuration a server without {@code --config.file} runs: every 15s it scrapes itself
     * (job {@code specula}) and the host through the in-process node exporter (job {@code node},
     * {@value #HOST_METRICS_PATH} on the same address), and evaluates {@code rulesFile}, the
     * {@linkplain #defaultRules() default rules}.
     */
    public static String embeddedDefault(String selfAddress, String rulesFile) {
        return embeddedDefault(selfAddress, rulesFile, "");
    }

    /** As {@link #embeddedDefault(String, String)} for a server under {@code --web.route-prefix} {@code routePrefix}. */
    public static String embeddedDefault(String selfAddress, String rulesFile, String routePrefix) {
        return """
                # Specula's embedded default: the server monitors the host and itself.
                # Start from it: specula server --print-default-config > prometheus.yml
                #                specula server --print-default-rules > %3$s
                global:
                  scrape_interval: 15s
                  evaluation_interval: 15s
                rule_files:
                  - "%2$s"
                scrape_configs:
                  - job_name: specula
                    metrics_path: %5$s/metrics
                    static_configs:
                      - targets: ["%1$s"]
                  - job_name: node
                    metrics_path: %5$s%4$s
                    static_configs:
                      - targets: ["%1$s"]
                """.formatted(selfAddress, rulesFile, DEFAULT_RULES_FILE, HOST_METRICS_PATH, routePrefix);
    }

    /** The default alerting rules (a Prometheus rule file) for the host and the server's own health. */
    public static String defaultRules() {
        try (var in = ConfigLoader.class.getResourceAsStream("default-rules.yml")) {
            if (in == null) {
                throw new IllegalStateException("default-rules.yml missing from the distribution");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Loaded validate(PrometheusConfig c, Path file, Path dir, boolean nativeHistograms) throws ConfigException {
        String src = file.toString();
        GlobalConfig global = c.global == null ? new GlobalConfig() : c.global;
        if (global.scrapeNativeHistograms == null && nativeHistograms) {
            global.scrapeNativeHistograms = true;
        }
        try {
            global.applyDefaults();
        } catch (ConfigValidationException e) {
            throw new ConfigException(src + ": " + e.getMessage());
        }
        c.global = global;
        List<String> ruleFiles = new ArrayList<>();
        for (String rf : nonNull(c.ruleFiles)) {
            if (rf == null || !FILE_PATTERN.matcher(rf).matches()) {
                throw new ConfigException(src + ": invalid rule file path \"" + rf + "\"");
            }
            Globs.validate(rf);
            // As Go's filepath.Join(dir of the file as given, rf): promtool prints these paths.
            Path given = file.getParent();
            ruleFiles.add((given == null ? Path.of(rf) : given.resolve(rf)).normalize().toString());
        }
        List<ScrapeConfig> scrape = new ArrayList<>(nonNull(c.scrapeConfigs));
        ScrapeConfigs.validateAll(scrape, global, src);
        for (String pattern : nonNull(c.scrapeConfigFiles)) {
            if (pattern == null || !FILE_PATTERN.matcher(pattern).matches()) {
                throw new ConfigException(src + ": invalid scrape config file path \"" + pattern + "\"");
            }
            for (Path f : Globs.expand(dir, pattern)) {
                scrape.addAll(ScrapeConfigs.loadFile(f, global));
            }
        }
        ScrapeConfigs.checkUniqueJobs(scrape, src);
        if (c.alerting != null) {
            try {
                c.alerting.applyDefaults(ScrapeConfigs.validationScheme(global));
            } catch (ConfigValidationException e) {
                throw new ConfigException(src + ": " + e.getMessage());
            }
        }
        long ooo = 0;
        if (c.storage != null && c.storage.tsdb != null && c.storage.tsdb.outOfOrderTimeWindow != null) {
            ooo = c.storage.tsdb.outOfOrderTimeWindow.millis();
            if (ooo < 0) {
                throw new ConfigException(src + ": out_of_order_time_window must not be negative");
            }
        }
        long maxExemplars = c.storage != null && c.storage.exemplars != null ? Math.max(0, c.storage.exemplars.maxExemplars)
                : io.specula.tsdb.exemplar.CircularExemplarStorage.DEFAULT_MAX_EXEMPLARS;
        if (maxExemplars > io.specula.tsdb.exemplar.CircularExemplarStorage.MAX_SIZE) {
            throw new ConfigException(src + ": storage.exemplars.max_exemplars " + maxExemplars + " exceeds Specula's limit of "
                    + io.specula.tsdb.exemplar.CircularExemplarStorage.MAX_SIZE);
        }
        List<RemoteWriteConfig> remoteWrite = nonNull(c.remoteWrite);
        try {
            RemoteWriteConfig.validateAll(remoteWrite, ScrapeConfigs.validationScheme(global));
        } catch (ConfigValidationException e) {
            throw new ConfigException(src + ": " + e.getMessage());
        }
        IncidentsConfig.Resolved incidents = IncidentsConfig.resolve(c.incidents, dir, src);
        OtlpOptions otlp = otlp(c.otlp, src);
        List<RemoteReadConfig> remoteRead = nonNull(c.remoteRead);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (RemoteReadConfig rr : remoteRead) {
            if (rr == null) {
                throw new ConfigException(src + ": empty or null remote read config section");
            }
            try {
                rr.validate();
            } catch (ConfigException e) {
                throw new ConfigException(src + ": " + e.getMessage());
            }
            if (rr.name != null && !rr.name.isEmpty() && !names.add(rr.name)) {
                throw new ConfigException(src + ": found multiple remote read configs with job name \"" + rr.name + "\"");
            }
        }
        return new Loaded(file, dir, global, List.copyOf(scrape), List.copyOf(ruleFiles), c.alerting, ooo,
                YamlConfigLoader.toYaml(c), incidents, maxExemplars, otlp, List.copyOf(remoteRead), List.copyOf(remoteWrite));
    }

    /** Validates the {@code otlp} block with Prometheus's rules and error texts. */
    static OtlpOptions otlp(PrometheusConfig.OtlpConfig o, String src) throws ConfigException {
        if (o == null) {
            return OtlpOptions.DEFAULTS;
        }
        List<String> promote = new ArrayList<>();
        for (String a : nonNull(o.promoteResourceAttributes)) {
            String attr = a == null ? "" : a.strip();
            if (attr.isEmpty()) {
                throw new ConfigException(src + ": empty promoted OTel resource attribute");
            }
            if (promote.contains(attr)) {
                throw new ConfigException(src + ": duplicated promoted OTel resource attribute \"" + attr + "\"");
            }
            promote.add(attr);
        }
        boolean all = Boolean.TRUE.equals(o.promoteAllResourceAttributes);
        if (all && !promote.isEmpty()) {
            throw new ConfigException(src + ": 'promote_all_resource_attributes' and 'promote_resource_attributes' cannot be configured simultaneously");
        }
        List<String> ignore = new ArrayList<>();
        for (String a : nonNull(o.ignoreResourceAttributes)) {
            String attr = a == null ? "" : a.strip();
            if (attr.isEmpty()) {
                throw new ConfigException(src + ": empty ignored OTel resource attribute");
            }
            if (ignore.contains(attr)) {
                throw new ConfigException(src + ": duplicated ignored OTel resource attribute \"" + attr + "\"");
            }
            ignore.add(attr);
        }
        if (!ignore.isEmpty() && !all) {
            throw new ConfigException(src + ": 'ignore_resource_attributes' cannot be configured unless 'promote_all_resource_attributes' is true");
        }
        OtlpOptions.TranslationStrategy strategy;
        try {
            strategy = o.translationStrategy == null ? OtlpOptions.TranslationStrategy.UnderscoreEscapingWithSuffixes
                    : OtlpOptions.TranslationStrategy.parse(o.translationStrategy);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(src + ": " + e.getMessage());
        }
        OtlpOptions d = OtlpOptions.DEFAULTS;
        return new OtlpOptions(strategy, promote, all, ignore, Boolean.TRUE.equals(o.keepIdentifyingResourceAttributes),
                Boolean.TRUE.equals(o.promoteScopeMetadata), Boolean.TRUE.equals(o.convertHistogramsToNhcb),
                d.allowDeltaTemporality(), d.lookbackDeltaMs());
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }
}
