package io.specula.alertmanager;

import io.specula.alertmanager.api.ApiServer;
import io.specula.alertmanager.config.AlertmanagerConfig;
import io.specula.alertmanager.config.AlertmanagerConfigLoader;
import io.specula.alertmanager.config.TimeIntervalConfig;
import io.specula.alertmanager.dispatch.Dispatcher;
import io.specula.alertmanager.dispatch.Route;
import io.specula.alertmanager.inhibit.Inhibitor;
import io.specula.alertmanager.nflog.NotificationLog;
import io.specula.alertmanager.notify.Integration;
import io.specula.alertmanager.notify.NotificationMetrics;
import io.specula.alertmanager.notify.NotificationPipeline;
import io.specula.alertmanager.notify.HttpTransport;
import io.specula.alertmanager.notify.Integrations;
import io.specula.alertmanager.template.NotificationTemplates;
import io.specula.alertmanager.template.TemplateGlobs;
import io.specula.template.TemplateException;
import io.specula.alertmanager.persist.StateFile;
import io.specula.alertmanager.provider.AlertStore;
import io.specula.alertmanager.silence.Silences;
import io.specula.model.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Alertmanager: the alert store, silences and notification log (kept across
 * reloads), and per loaded config the routing tree, inhibitor, receivers and dispatcher
 * (rebuilt on reload; a config that does not load leaves the running one in place). Serves
 * the HTTP API. Thread-safe.
 */
public final class Alertmanager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Alertmanager.class);
    /** What we announce ourselves as to receivers; Alertmanager sends {@code Alertmanager/<version>}. */
    public static final String USER_AGENT = "Alertmanager/0.28.1 (Specula)";

    /** Everything derived from one config. */
    public record Running(AlertmanagerConfig config, Route route, Inhibitor inhibitor, NotificationPipeline pipeline,
            Dispatcher dispatcher, Instant loadedAt, HttpTransport transport) {}

    private final AlertmanagerOptions options;
    private final Supplier<Instant> clock;
    private final AlertStore alerts;
    private final Silences silences;
    private final NotificationLog nflog;
    private final NotificationMetrics metrics = new NotificationMetrics();
    private final HttpClient httpClient = new HttpClient();
    private final ScheduledExecutorService maintenance;
    private final String externalUrl;
    private final Instant startedAt;
    private volatile Running running;
    private volatile boolean lastReloadOk = true;
    private ApiServer api;

    private Alertmanager(AlertmanagerOptions options, AlertmanagerConfig config) throws IOException {
        this.options = options;
        this.clock = options.clock;
        this.startedAt = clock.get();
        this.externalUrl = externalUrl(options);
        this.alerts = new AlertStore(clock);
        this.silences = new Silences(clock, options.retention, new StateFile(options.storagePath.resolve("silences.json")));
        this.nflog = new NotificationLog(clock, options.retention, new StateFile(options.storagePath.resolve("nflog.json")));
        httpClient.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, USER_AGENT));
        try {
            httpClient.start();
        } catch (Exception e) {
            throw new IOException("cannot start HTTP client: " + e.getMessage(), e);
        }
        try {
            this.running = build(config);
        } catch (ConfigException e) {
            stopQuietly(httpClient);
            throw new IOException(e.getMessage(), e);
        }
        alerts.subscribe(batch -> running.dispatcher().process(batch));
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alertmanager-maintenance");
            t.setDaemon(true);
            return t;
        });
        long every = options.maintenanceInterval.toMillis();
        maintenance.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Loads the config, restores state from the storage path and starts serving.
     *
     * @throws ConfigException when the config cannot be used
     * @throws IOException when the listen address cannot be bound
     */
    public static Alertmanager start(AlertmanagerOptions options) throws ConfigException, IOException {
        AlertmanagerConfig config = AlertmanagerConfigLoader.load(options.configFile);
        Alertmanager am = new Alertmanager(options, config);
        try {
            am.api = ApiServer.start(am, options.listenAddress, options.webConfigFile, routePrefix(options, am.externalUrl));
        } catch (IOException e) {
            am.close();
            throw e;
        }
        LOG.info("Alertmanager started: listen={} external_url={} config={}", am.api.boundAddress(), am.externalUrl,
                options.configFile);
        return am;
    }

    /** Templates, clients and integrations of a config; a ConfigException leaves nothing running. */
    private Running build(AlertmanagerConfig c) throws ConfigException {
        NotificationTemplates templates;
        try {
            templates = NotificationTemplates.load(TemplateGlobs.expand(c.templates()), templateClock());
        } catch (TemplateException | IOException e) {
            throw new ConfigException(options.configFile + ": " + e.getMessage());
        }
        HttpTransport transport = new HttpTransport(httpClient, USER_AGENT);
        Map<String, List<Integration>> receivers;
        try {
            receivers = Integrations.build(c, templates, transport);
        } catch (ConfigException e) {
            transport.close();
            throw new ConfigException(options.configFile + ": " + e.getMessage());
        }
        Route route = Route.build(c.route);
        Inhibitor inhibitor = new Inhibitor(c.inhibitRules(), alerts, clock);
        Map<String, TimeIntervalConfig> intervals = new HashMap<>();
        for (TimeIntervalConfig ti : c.allTimeIntervals()) {
            intervals.put(ti.name, ti);
        }
        NotificationPipeline pipeline = new NotificationPipeline(receivers, intervals, inhibitor, silences, nflog,
                externalUrl, clock, options.initialBackoff, metrics);
        Dispatcher d = new Dispatcher(route, pipeline, clock);
        return new Running(c, route, inhibitor, pipeline, d, clock.get(), transport);
    }

    /**
     * Loads the config file again. On success the routing tree, receivers and dispatcher are
     * replaced and the known alerts routed anew (their groups start over, the notification
     * log keeps them from being notified twice); on failure nothing changes.
     *
     * @throws ConfigException with the reason the new config was refused
     */
    public synchronized void reload() throws ConfigException {
        AlertmanagerConfig c;
        try {
            c = AlertmanagerConfigLoader.load(options.configFile);
        } catch (ConfigException e) {
            lastReloadOk = false;
            LOG.error("Loading configuration file failed, keeping the old one: file={} err=\"{}\"", options.configFile,
                    e.getMessage());
            throw e;
        }
        Running old = running;
        Running fresh;
        try {
            fresh = build(c);
        } catch (ConfigException e) {
            lastReloadOk = false;
            LOG.error("Loading configuration file failed, keeping the old one: file={} err=\"{}\"", options.configFile,
                    e.getMessage());
            throw e;
        }
        running = fresh;
        old.dispatcher().stop();
        old.pipeline().close();
        old.transport().close();
        fresh.dispatcher().process(alerts.list());
        lastReloadOk = true;
        LOG.info("Completed loading of configuration file: file={}", options.configFile);
    }

    private void maintain() {
        try {
            Duration keepResolved = Duration.ofMinutes(30);
            alerts.gc(keepResolved, options.retention);
            silences.gc();
            nflog.gc();
            silences.snapshot();
            nflog.snapshot();
        } catch (IOException | RuntimeException e) {
            LOG.error("maintenance failed: err={}", e.toString());
        }
    }

    /** The daemon's clock as a java.time.Clock, for the templates' {@code since}. */
    private java.time.Clock templateClock() {
        return new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return clock.get();
            }
        };
    }

    private static void stopQuietly(HttpClient c) {
        try {
            c.stop();
        } catch (Exception ignored) {
            // failing start-up already; the cause is reported
        }
    }

    static String externalUrl(AlertmanagerOptions o) {
        if (o.externalUrl != null && !o.externalUrl.isEmpty()) {
            String u = o.externalUrl;
            return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
        }
        String addr = o.listenAddress;
        String host = addr.startsWith(":") ? hostname() : addr.substring(0, addr.lastIndexOf(':'));
        return "http://" + host + addr.substring(addr.lastIndexOf(':'));
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String routePrefix(AlertmanagerOptions o, String externalUrl) {
        String p = o.routePrefix;
        if (p == null) {
            p = URI.create(externalUrl).getPath();
        }
        if (p == null || p.equals("/")) {
            return "";
        }
        p = p.startsWith("/") ? p : "/" + p;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    public AlertStore alerts() {
        return alerts;
    }

    public Silences silences() {
        return silences;
    }

    public NotificationLog nflog() {
        return nflog;
    }

    public NotificationMetrics metrics() {
        return metrics;
    }

    public Running running() {
        return running;
    }

    public boolean lastReloadOk() {
        return lastReloadOk;
    }

    public String externalUrl() {
        return externalUrl;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant now() {
        return clock.get();
    }

    public AlertmanagerOptions options() {
        return options;
    }

    /** The address the API listens on (with the real port when 0 was asked for). */
    public String boundAddress() {
        return api == null ? null : api.boundAddress();
    }

    /** Stops serving and dispatching and writes the final snapshots. */
    @Override
    public synchronized void close() {
        if (api != null) {
            api.stop();
        }
        maintenance.shutdownNow();
        running.dispatcher().stop();
        running.pipeline().close();
        running.transport().close();
        try {
            silences.snapshot();
            nflog.snapshot();
        } catch (IOException e) {
            LOG.error("final snapshot failed: err={}", e.toString());
        }
        try {
            httpClient.stop();
        } catch (Exception e) {
            LOG.debug("http client stop", e);
        }
    }
}
