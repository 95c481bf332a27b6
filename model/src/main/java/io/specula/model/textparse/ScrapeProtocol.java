package io.specula.model.textparse;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The exposition protocols a scrape configuration names, spelled as in Prometheus's
 * {@code scrape_protocols} and {@code fallback_scrape_protocol}, with the format each one is
 * parsed as.
 */
public enum ScrapeProtocol {
    PROMETHEUS_PROTO("PrometheusProto", Parsers.Format.PROMETHEUS_PROTOBUF),
    OPENMETRICS_TEXT_0_0_1("OpenMetricsText0.0.1", Parsers.Format.OPENMETRICS_TEXT),
    OPENMETRICS_TEXT_1_0_0("OpenMetricsText1.0.0", Parsers.Format.OPENMETRICS_TEXT),
    PROMETHEUS_TEXT_0_0_4("PrometheusText0.0.4", Parsers.Format.PROMETHEUS_TEXT),
    PROMETHEUS_TEXT_1_0_0("PrometheusText1.0.0", Parsers.Format.PROMETHEUS_TEXT);

    private final String configName;
    private final Parsers.Format format;

    ScrapeProtocol(String configName, Parsers.Format format) {
        this.configName = configName;
        this.format = format;
    }

    /** The name as written in a Prometheus configuration, e.g. {@code PrometheusText0.0.4}. */
    public String configName() {
        return configName;
    }

    public Parsers.Format format() {
        return format;
    }

    /**
     * The protocol with that configuration name (case-sensitive, as in Prometheus).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ScrapeProtocol fromConfigName(String name) {
        for (ScrapeProtocol p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        // Prometheus's words: Go's %v of the name and of the sorted names
        throw new IllegalArgumentException("unknown scrape protocol " + name + ", supported: ["
                + Arrays.stream(values()).map(ScrapeProtocol::configName).sorted().collect(Collectors.joining(" ")) + "]");
    }

    @Override
    public String toString() {
        return configName;
    }
}
