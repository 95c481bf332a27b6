package io.specula.alertmanager;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * How to run an Alertmanager: the daemon's flags, plus knobs tests turn (clock, first retry
 * backoff, maintenance interval). Mutable; read once at start.
 */
public final class AlertmanagerOptions {
    public Path configFile = Path.of("alertmanager.yml");
    public Path storagePath = Path.of("data");
    public String listenAddress = ":9093";
    /** {@code --web.config.file}: TLS, basic auth and headers of the HTTP side, or null. */
    public Path webConfigFile;
    /** The URL users reach the Alertmanager at; derived from the listen address when null. */
    public String externalUrl;
    /** Path prefix of all endpoints; defaults to the external URL's path. */
    public String routePrefix;
    public Duration retention = Duration.ofHours(120);
    /** How often state is snapshotted and garbage collected (Alertmanager: 15 minutes). */
    public Duration maintenanceInterval = Duration.ofMinutes(15);
    /** First wait between delivery attempts; grows ×1.5 up to a minute. */
    public Duration initialBackoff = Duration.ofMillis(500);
    public Supplier<Instant> clock = Instant::now;
}
