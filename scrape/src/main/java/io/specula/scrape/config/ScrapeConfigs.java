package io.specula.scrape.config;

import io.specula.model.config.ConfigException;
import io.specula.model.config.ConfigFingerprint;
import io.specula.model.config.YamlConfigLoader;
import io.specula.discovery.config.ConfigValidationException;
import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.model.relabel.InvalidRelabelConfigException;
import io.specula.model.relabel.RelabelConfig;
import io.specula.model.textparse.ScrapeProtocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validation of scrape configurations against the global block, in Prometheus's order and
 * wording, and loading of files that hold only {@code scrape_configs} ({@code scrape_config_files}).
 */
public final class ScrapeConfigs {
    private ScrapeConfigs() {}

    /** The shape of a {@code scrape_config_files} file. */
    public static final class File {
        public List<ScrapeConfig> scrapeConfigs;
    }

    /** Loads a file holding {@code scrape_configs:} and validates its entries against {@code global}. */
    public static List<ScrapeConfig> loadFile(Path file, GlobalConfig global) throws ConfigException {
        File f = YamlConfigLoader.load(file, File.class);
        List<ScrapeConfig> list = f == null || f.scrapeConfigs == null ? List.of() : f.scrapeConfigs;
        validateAll(list, global, file.toString());
        return list;
    }

    /** Parses {@code scrape_configs:} YAML text; {@code source} names it in errors. */
    public static List<ScrapeConfig> parse(String text, String source, GlobalConfig global) throws ConfigException {
        File f = YamlConfigLoader.parse(text, source, File.class);
        List<ScrapeConfig> list = f == null || f.scrapeConfigs == null ? List.of() : f.scrapeConfigs;
        validateAll(list, global, source);
        return list;
    }

    /** Applies defaults to every entry and checks job names are unique; errors start with {@code source}. */
    public static void validateAll(List<ScrapeConfig> configs, GlobalConfig global, String source) throws ConfigException {
        Set<String> jobs = new HashSet<>();
        for (ScrapeConfig sc : configs) {
            try {
                if (sc == null) {
                    throw new ConfigValidationException("empty or null scrape config section");
                }
                applyDefaults(sc, global);
                if (!jobs.add(sc.jobName)) {
                    throw new ConfigValidationException("found multiple scrape configs with job name \"" + sc.jobName + "\"");
                }
            } catch (ConfigValidationException e) {
                throw new ConfigException(source + ": " + e.getMessage());
            }
        }
    }

    /** Checks that job names are unique across configurations validated separately (several files). */
    public static void checkUniqueJobs(List<ScrapeConfig> configs, String source) throws ConfigException {
        Set<String> jobs = new HashSet<>();
        for (ScrapeConfig sc : configs) {
            if (!jobs.add(sc.jobName)) {
                throw new ConfigException(source + ": found multiple scrape configs with job name \"" + sc.jobName + "\"");
            }
        }
    }

    /** Checks one entry and fills what the global block and Prometheus's defaults give it. */
    public static void applyDefaults(ScrapeConfig c, GlobalConfig g) throws ConfigValidationException {
        if (c.jobName == null || c.jobName.isEmpty()) {
            throw new ConfigValidationException("job_name is empty");
        }
        c.validateHttp();
        c.validateDiscovery(!c.relabelConfigs().isEmpty());
        NameValidation scheme = validationScheme(c, g);
        compile(c.relabelConfigs(), "target relabeling rule", scheme);
        compile(c.metricRelabelConfigs(), "metric relabeling rule", scheme);
        // Interval first, then the timeout (explicit or inferred) must fit in it.
        if (c.scrapeInterval == null || c.scrapeInterval.isZero()) {
            c.scrapeInterval = g.scrapeInterval;
        }
        if (c.scrapeTimeout != null && !c.scrapeTimeout.isZero() && c.scrapeTimeout.compareTo(c.scrapeInterval) > 0) {
            throw new ConfigValidationException(
                    "scrape timeout greater than scrape interval for scrape config with job name \"" + c.jobName + "\"");
        }
        if (c.scrapeTimeout == null || c.scrapeTimeout.isZero()) {
            c.scrapeTimeout = g.scrapeTimeout.compareTo(c.scrapeInterval) > 0 ? c.scrapeInterval : g.scrapeTimeout;
        }
        if (c.scrapeNativeHistograms == null) {
            c.scrapeNativeHistograms = g.scrapeNativeHistograms;
        }
        if (c.alwaysScrapeClassicHistograms == null) {
            c.alwaysScrapeClassicHistograms = g.alwaysScrapeClassicHistograms;
        }
        if (c.convertClassicHistogramsToNhcb == null) {
            c.convertClassicHistogramsToNhcb = g.convertClassicHistogramsToNhcb;
        }
        if (c.scrapeProtocols == null) {
            // Native histograms travel only in protobuf: a job that scrapes them asks for it first.
            // A global scrape_protocols wins; otherwise the job's own native-histogram switch decides.
            c.scrapeProtocols = g.scrapeProtocolsGiven ? g.scrapeProtocols
                    : c.scrapeNative() ? GlobalConfig.PROTO_FIRST_SCRAPE_PROTOCOLS : GlobalConfig.DEFAULT_SCRAPE_PROTOCOLS;
        }
        try {
            c.protocols = checkProtocols(c.scrapeProtocols);
        } catch (ConfigValidationException e) {
            throw new ConfigValidationException(e.getMessage() + " for scrape config with job name \"" + c.jobName + "\"");
        }
        if (c.fallbackScrapeProtocol != null && !c.fallbackScrapeProtocol.isEmpty()) {
            try {
                c.fallbackProtocol = ScrapeProtocol.fromConfigName(c.fallbackScrapeProtocol);
            } catch (IllegalArgumentException e) {
                throw new ConfigValidationException("invalid fallback_scrape_protocol for scrape config with job name \""
                        + c.jobName + "\": " + e.getMessage());
            }
        }
        if (c.metricNameValidationScheme == null || c.metricNameValidationScheme.isEmpty()) {
            c.metricNameValidationScheme = g.metricNameValidationScheme;
        }
        checkValidationScheme(c.metricNameValidationScheme);
        if (c.metricNameEscapingScheme == null || c.metricNameEscapingScheme.isEmpty()) {
            c.metricNameEscapingScheme = g.metricNameEscapingScheme != null && !g.metricNameEscapingScheme.isEmpty()
                    ? g.metricNameEscapingScheme
                    : c.metricNameValidationScheme.equals("legacy") ? "underscores" : "allow-utf-8";
        }
        checkEscapingScheme(c.metricNameEscapingScheme, c.metricNameValidationScheme);
        if (c.bodySizeLimit == null || c.bodySizeLimit.bytes() == 0) {
            c.bodySizeLimit = g.bodySizeLimit == null ? ByteSize.ZERO : g.bodySizeLimit;
        }
        if (c.sampleLimit == 0) {
            c.sampleLimit = g.sampleLimit;
        }
        if (c.targetLimit == 0) {
            c.targetLimit = g.targetLimit;
        }
        if (c.labelLimit == 0) {
            c.labelLimit = g.labelLimit;
        }
        if (c.labelNameLengthLimit == 0) {
            c.labelNameLengthLimit = g.labelNameLengthLimit;
        }
        if (c.labelValueLengthLimit == 0) {
            c.labelValueLengthLimit = g.labelValueLengthLimit;
        }
        if (c.keepDroppedTargets == 0) {
            c.keepDroppedTargets = g.keepDroppedTargets;
        }
        if (c.scheme == null || c.scheme.isEmpty()) {
            c.scheme = "http";
        }
        if (c.metricsPath == null || c.metricsPath.isEmpty()) {
            c.metricsPath = "/metrics";
        }
        if (c.nativeHistogramMinBucketFactor != null && c.nativeHistogramMinBucketFactor < 0) {
            throw new ConfigValidationException("native_histogram_min_bucket_factor must not be negative in scrape config with job name \""
                    + c.jobName + "\"");
        }
        if (c.sampleLimit < 0 || c.targetLimit < 0 || c.labelLimit < 0 || c.labelNameLengthLimit < 0
                || c.labelValueLengthLimit < 0 || c.keepDroppedTargets < 0) {
            throw new ConfigValidationException("limits must not be negative in scrape config with job name \"" + c.jobName + "\"");
        }
    }

    private static void compile(List<RelabelConfig> rules, String what, NameValidation scheme) throws ConfigValidationException {
        for (RelabelConfig r : rules) {
            if (r == null) {
                throw new ConfigValidationException("empty or null " + what);
            }
            try {
                r.validate(scheme);
            } catch (InvalidRelabelConfigException e) {
                throw new ConfigValidationException(e.getMessage());
            }
        }
    }

    /** The label-name validation the global block asks for ({@code metric_name_validation_scheme}). */
    public static NameValidation validationScheme(GlobalConfig g) {
        return "legacy".equals(g.metricNameValidationScheme) ? NameValidation.LEGACY : NameValidation.UTF8;
    }

    private static NameValidation validationScheme(ScrapeConfig c, GlobalConfig g) {
        String s = c.metricNameValidationScheme != null && !c.metricNameValidationScheme.isEmpty()
                ? c.metricNameValidationScheme
                : g.metricNameValidationScheme;
        return "legacy".equals(s) ? NameValidation.LEGACY : NameValidation.UTF8;
    }

    static List<ScrapeProtocol> checkProtocols(List<String> names) throws ConfigValidationException {
        if (names.isEmpty()) {
            throw new ConfigValidationException("scrape_protocols cannot be empty");
        }
        List<ScrapeProtocol> out = new ArrayList<>();
        for (String n : names) {
            ScrapeProtocol p;
            if (out.stream().anyMatch(o -> o.configName().equalsIgnoreCase(n))) {
                throw new ConfigValidationException("duplicated protocol in scrape_protocols, got [" + String.join(" ", names) + "]");
            }
            try {
                p = ScrapeProtocol.fromConfigName(n);
            } catch (IllegalArgumentException e) {
                throw new ConfigValidationException("scrape_protocols: " + e.getMessage());
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    static void checkValidationScheme(String s) throws ConfigValidationException {
        if (!s.equals("utf8") && !s.equals("legacy")) {
            throw new ConfigValidationException(
                    "unknown global name validation method specified, must be either '', 'legacy' or 'utf8', got " + s);
        }
    }

    static void checkEscapingScheme(String escaping, String validation) throws ConfigValidationException {
        if (!List.of("allow-utf-8", "underscores", "dots", "values").contains(escaping)) {
            throw new ConfigValidationException("invalid metric name escaping scheme, unknown escaping scheme: " + escaping);
        }
        if (escaping.equals("allow-utf-8") && validation.equals("legacy")) {
            throw new ConfigValidationException("metric_name_escaping_scheme cannot be set to 'allow-utf-8' while"
                    + " metric_name_validation_scheme is not set to UTF-8");
        }
    }

    /** See {@link ConfigFingerprint}. */
    public static String fingerprint(Object config) {
        return ConfigFingerprint.of(config);
    }
}
