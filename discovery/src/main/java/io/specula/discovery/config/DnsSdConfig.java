package io.specula.discovery.config;

import io.specula.model.config.PromDuration;
import java.util.List;
import java.util.Locale;

/** A {@code dns_sd_config}: names looked up every {@code refresh_interval} (Prometheus's keys and checks). */
public final class DnsSdConfig {
    public static final PromDuration DEFAULT_REFRESH_INTERVAL = PromDuration.ofSeconds(30);

    public List<String> names;
    public PromDuration refreshInterval;
    public String type = "SRV";
    /** Ignored for SRV records, required for every other type. */
    public int port;

    void validate() throws ConfigValidationException {
        if (names == null || names.isEmpty()) {
            throw new ConfigValidationException("DNS-SD config must contain at least one SRV record name");
        }
        String t = type == null ? "" : type.toUpperCase(Locale.ROOT);
        switch (t) {
            case "SRV" -> { }
            case "A", "AAAA", "MX", "NS" -> {
                if (port == 0) {
                    throw new ConfigValidationException("a port is required in DNS-SD configs for all record types except SRV");
                }
            }
            default -> throw new ConfigValidationException("invalid DNS-SD records type " + (type == null ? "" : type));
        }
        if (refreshInterval == null || refreshInterval.isZero()) {
            refreshInterval = DEFAULT_REFRESH_INTERVAL;
        }
    }

    /** The record type to query, upper case (validated). */
    public String recordType() {
        return type.toUpperCase(Locale.ROOT);
    }
}
