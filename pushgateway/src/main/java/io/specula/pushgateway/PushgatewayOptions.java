package io.specula.pushgateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Pushgateway's flags, with its defaults. Mutable; read once by {@link Pushgateway#start}. */
public final class PushgatewayOptions {
    public String listenAddress = ":9091";
    /** The exporter toolkit's web configuration (TLS, basic auth), or null. */
    public Path webConfigFile;
    public String telemetryPath = "/metrics";
    /** Null or empty: none. */
    public String externalUrl;
    /** Null or empty: the path of {@link #externalUrl}. */
    public String routePrefix;
    /** Null or empty: metrics are only kept in memory. */
    public Path persistenceFile;
    public Duration persistenceInterval = Duration.ofMinutes(5);
    public boolean disableConsistencyCheck;
    public boolean enableLifecycle;
    public boolean enableAdminApi;
    /** Shown by {@code /api/v1/status} with the flags above (e.g. {@code log.level}). */
    public Map<String, String> extraFlags = new LinkedHashMap<>();
    /** The version shown in {@code pushgateway_build_info} and the status API. */
    public String version = "unknown";
}
