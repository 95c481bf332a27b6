package io.specula.pushgateway;

import io.specula.model.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pushgateway as a whole: the store (restored from the persistence file), its persister,
 * the gateway's own metrics and the HTTP server. {@link #close()} stops serving and persists.
 */
public final class Pushgateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pushgateway.class);

    private final PushgatewayOptions options;
    private final Telemetry telemetry;
    private final MetricStore store;
    private final Persister persister;
    private final Instant startTime = Instant.now();
    private final CountDownLatch quit = new CountDownLatch(1);
    private HttpFront http;

    private Pushgateway(PushgatewayOptions options) {
        this.options = options;
        this.telemetry = new Telemetry(options.version);
        this.store = new MetricStore(telemetry::families);
        this.persister = options.persistenceFile == null ? null
                : new Persister(store, options.persistenceFile, options.persistenceInterval);
    }

    /**
     * Restores the persisted groups (a damaged file is logged and ignored, as the Go gateway
     * does), then binds and serves.
     *
     * @throws ConfigException for a bad flag value
     * @throws IOException when the address or web configuration is invalid or cannot be bound
     */
    public static Pushgateway start(PushgatewayOptions options) throws ConfigException, IOException {
        Pushgateway pg = new Pushgateway(options);
        if (options.persistenceFile != null) {
            try {
                pg.store.restore(PersistenceFormat.read(options.persistenceFile));
            } catch (IOException | RuntimeException e) {
                LOG.error("could not load persisted metrics: file={} err={}", options.persistenceFile, e.toString());
            }
        }
        String prefix = routePrefix(options.routePrefix, options.externalUrl);
        try {
            pg.http = HttpFront.start(pg, options.listenAddress, prefix);
        } catch (IOException | RuntimeException e) {
            if (pg.persister != null) {
                pg.persister.close();
            }
            throw e;
        }
        LOG.info("Pushgateway started: listen={} route_prefix={} persistence_file={}", options.listenAddress, prefix,
                options.persistenceFile);
        return pg;
    }

    /** Go's computeRoutePrefix: the flag or the external URL's path, "/" as "", one leading slash, no trailing. */
    static String routePrefix(String prefix, String externalUrl) throws ConfigException {
        if (prefix == null || prefix.isEmpty()) {
            prefix = "";
            if (externalUrl != null && !externalUrl.isEmpty()) {
                try {
                    String p = new URI(externalUrl).getPath();
                    prefix = p == null ? "" : p;
                } catch (java.net.URISyntaxException e) {
                    throw new ConfigException("--web.external-url: invalid URL " + externalUrl + ": " + e.getMessage());
                }
            }
        }
        if (prefix.equals("/")) {
            return "";
        }
        if (!prefix.isEmpty() && !prefix.startsWith("/")) {
            prefix = "/" + prefix;
        }
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    MetricStore store() {
        return store;
    }

    Telemetry telemetry() {
        return telemetry;
    }

    PushgatewayOptions options() {
        return options;
    }

    Instant startTime() {
        return startTime;
    }

    /** Asks the daemon to stop ({@code /-/quit}); see {@link #quitRequested()}. */
    void requestQuit() {
        quit.countDown();
    }

    /** Counts down when {@code /-/quit} was called. */
    public CountDownLatch quitRequested() {
        return quit;
    }

    public int port() {
        return http.port();
    }

    /** The flags as {@code /api/v1/status} shows them (Go's flag value texts). */
    Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>(options.extraFlags);
        f.put("web.listen-address", options.listenAddress);
        f.put("web.config.file", options.webConfigFile == null ? "" : options.webConfigFile.toString());
        f.put("web.telemetry-path", options.telemetryPath);
        f.put("web.external-url", options.externalUrl == null ? "" : options.externalUrl);
        f.put("web.route-prefix", options.routePrefix == null ? "" : options.routePrefix);
        f.put("web.enable-lifecycle", String.valueOf(options.enableLifecycle));
        f.put("web.enable-admin-api", String.valueOf(options.enableAdminApi));
        f.put("persistence.file", options.persistenceFile == null ? "" : options.persistenceFile.toString());
        f.put("persistence.interval", goDuration(options.persistenceInterval));
        f.put("push.disable-consistency-check", String.valueOf(options.disableConsistencyCheck));
        return f;
    }

    /** Go's {@code time.Duration.String()} for the durations flags take: {@code 5m0s}, {@code 1h0m0s}, {@code 500ms}. */
    static String goDuration(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        nanos = Math.abs(nanos);
        if (nanos < 1_000_000_000L) {
            if (nanos % 1_000_000 == 0) {
                return sign + nanos / 1_000_000 + "ms";
            }
            return sign + trimFraction(nanos / 1e6) + "ms";
        }
        long h = nanos / 3_600_000_000_000L;
        long rest = nanos % 3_600_000_000_000L;
        long m = rest / 60_000_000_000L;
        long sNanos = rest % 60_000_000_000L;
        String s = sNanos % 1_000_000_000L == 0 ? String.valueOf(sNanos / 1_000_000_000L)
                : trimFraction(new java.math.BigDecimal(sNanos).movePointLeft(9).stripTrailingZeros().toPlainString());
        StringBuilder b = new StringBuilder(sign);
        if (h > 0) {
            b.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            b.append(m).append('m');
        }
        return b.append(s).append('s').toString();
    }

    private static String trimFraction(Object v) {
        String s = v.toString();
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** Stops serving, then persists the state. Idempotent. */
    @Override
    public synchronized void close() {
        if (http != null) {
            http.stop();
            http = null;
        }
        if (persister != null) {
            persister.close();
        }
    }

    /** For tests: the groups now. */
    public List<MetricStore.Group> groups() {
        return store.groups();
    }
}
