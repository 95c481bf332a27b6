package io.specula.app.server;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.app.config.ConfigLoader;
import io.specula.remote.read.RemoteReadStorage;
import io.specula.tsdb.agent.AgentStorage;
import io.specula.httpclient.HttpClients;
import io.specula.incident.IncidentManager;
import io.specula.incident.SeriesSource;
import io.specula.incident.Topology;
import io.specula.model.config.ConfigException;
import io.specula.model.labels.Labels;
import io.specula.nodeexporter.NodeExporter;
import io.specula.nodeexporter.NodeExporterOptions;
import io.specula.promql.engine.Engine;
import io.specula.remote.write.RemoteWriteStorage;
import io.specula.rules.rulefmt.RuleFileException;
import io.specula.rules.RuleManager;
import io.specula.rules.RuleManagerOptions;
import io.specula.rules.notifier.Notifier;
import io.specula.scrape.ScrapeOptions;
import io.specula.scrape.ScrapeService;
import io.specula.tsdb.DB;
import io.specula.tsdb.exemplar.CircularExemplarStorage;
import io.specula.tsdb.head.Head;
import io.specula.web.ServerContext;
import io.specula.web.WebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import io.specula.model.config.PromDuration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: HTTP first (so {@code /-/ready} answers 503 during WAL replay), then the
 * TSDB, then scraping under the loaded configuration, then a compaction check every minute as
 * Prometheus runs it. {@link #reload()} swaps the configuration atomically or not at all.
 */
public final class Server implements ServerContext, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /** As Prometheus: every minute. The system property is a test hook (kill loops compress time with it). */
    static final long COMPACTION_INTERVAL_MILLIS = Long.getLong("specula.tsdb.compaction-interval-ms", 60_000);

    private final ServerOptions options;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Engine engine;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tsdb-compaction").daemon(true).factory());
    private volatile WebServer web;
    /** Set once the server is ready; {@link #storage} is the same TSDB from the moment it is open. */
    private volatile DB db;
    private volatile DB storage;
    private volatile ScrapeService scrape;
    private final Notifier notifier;
    /** Between the rule manager and the notifier: labels alerts with their incident. */
    private final IncidentManager incidents;
    private volatile RuleManager rules;
    private volatile RemoteWriteStorage remoteWrite;
    private volatile ConfigLoader.Loaded config;
    /** Agent mode's WAL-only storage, or null when running as a server. */
    private volatile AgentStorage agent;
    /** The {@code remote_read} endpoints, merged into queries. */
    private final RemoteReadStorage remoteRead = new RemoteReadStorage("Specula/" + io.specula.web.BuildInfo.version());
    private volatile String embeddedSelfAddress;
    /** The default rules, written under the data directory when running the embedded default. */
    private volatile Path embeddedRules;
    /** The host's collectors, served in process at {@link ConfigLoader#HOST_METRICS_PATH}. */
    private volatile NodeExporter host;
    private volatile Map<String, MetricsSource> endpoints = Map.of();
    /** {@code --web.external-url}, or the default with the port actually bound. */
    private volatile String externalUrl;
    private volatile ReloadStatus reloadStatus = new ReloadStatus(false, 0);
    private volatile boolean closed;

    private Server(ServerOptions options) {
        this.options = options;
        this.engine = new Engine(options.engine());
        this.notifier = new Notifier(options.notifier());
        this.incidents = new IncidentManager(notifier, new SeriesSource(engine, () -> storage), () -> rules,
                this::targets);
    }

    /** The active scrape targets, for the incidents' entity graph. */
    private java.util.List<Topology.Target> targets() {
        ScrapeService sc = scrape;
        java.util.List<Topology.Target> out = new java.util.ArrayList<>();
        if (sc != null) {
            sc.scrapeManager().activeTargets().values().forEach(ts -> ts.forEach(
                    t -> out.add(new Topology.Target(t.publicLabels(), t.discoveredLabels()))));
        }
        return out;
    }

    /**
     * Loads the configuration, listens, opens the TSDB and starts scraping. A bad configuration
     * or an unusable data directory fails the start with a message (and nothing left running).
     */
    public static Server start(ServerOptions options) throws ConfigException, IOException {
        Server s = new Server(options);
        try {
            s.run();
        } catch (ConfigException | IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void run() throws ConfigException, IOException {
        ServerMetrics.register(registry, this);
        incidents.register(registry);
        if (options.configFile() != null) {
            config = ConfigLoader.load(options.configFile(), feature("native-histograms")); // fail before binding anything
        }
        NodeExporter h = new NodeExporter(hostOptions());
        host = h;
        endpoints = Map.of(ConfigLoader.HOST_METRICS_PATH, h::scrape);
        web = WebServer.start(this, options.web());
        externalUrl = options.web().externalUrl().replaceFirst(":0$", ":" + web.port());
        if (config == null) {
            embeddedSelfAddress = selfAddress(options.web().listenAddress(), web.port());
            embeddedRules = writeDefaultRules(options.storagePath());
            config = embedded();
        }
        LOG.info("Listening on address={}", options.web().listenAddress().replaceFirst(":\\d+$", ":" + web.port()));
        if (agentMode()) {
            runAgent();
            return;
        }
        long t0 = System.nanoTime();
        // As Prometheus: with the feature the ring exists (even of size 0) and config reloads resize it.
        CircularExemplarStorage exemplars = feature("exemplar-storage") ? new CircularExemplarStorage(config.maxExemplars()) : null;
        DB opened = DB.open(options.storagePath(), options.db().withOutOfOrderTimeWindow(config.outOfOrderTimeWindowMillis()),
                exemplars);
        storage = opened; // closed by close() even if the rest of the start fails
        logRepairs(opened);
        LOG.info("TSDB started path={} blocks={} series={} duration={}ms", options.storagePath(), opened.blocks().size(),
                opened.head().numSeries(), (System.nanoTime() - t0) / 1_000_000);
        applyRemoteRead(config);
        Labels ext = config.global().externalLabels();
        // A target without body_size_limit still cannot take the heap: a quarter of it is the
        // most one scrape body may decompress to (Prometheus has no such ceiling and can OOM).
        long maxBody = Runtime.getRuntime().maxMemory() / 4;
        scrape = new ScrapeService(opened, new ScrapeOptions(options.extraScrapeMetrics(),
                ScrapeOptions.seed(ext, hostname()), maxBody), config.dir());
        RemoteWriteStorage rw = new RemoteWriteStorage(options.storagePath().resolve(Head.WAL_DIR),
                options.storagePath().resolve(RemoteWriteStorage.STATE_DIR), registry,
                Long.parseLong(options.flags().getOrDefault("storage.remote.wal-retention-size", Long.toString(4L << 30))));
        remoteWrite = rw;
        rw.setMetadataSource(this::scrapeMetadata);
        opened.head().holdWalSegments(rw::keepWalFrom);
        applyRemoteWrite(config);
        notifier.applyConfig(config.alerting(), ext);
        incidents.applyConfig(config.incidents(), config.global().evaluationInterval.millis());
        RuleManager rm = new RuleManager(opened, opened, engine, incidents, rulesOptions(config));
        rules = rm;
        updateRules(rm, config);
        scrape.applyConfig(config.scrapeConfigs());
        reloadStatus = new ReloadStatus(true, System.currentTimeMillis());
        timer.scheduleWithFixedDelay(this::compact, COMPACTION_INTERVAL_MILLIS, COMPACTION_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        db = opened; // from here on the server is ready
        LOG.info("Server is ready to receive web requests.");
    }

    /** One line per thing the open cut off or moved aside, so an operator sees what was lost and where it went. */
    private static void logRepairs(DB db) {
        var rep = db.head().replayReport();
        if (rep != null) {
            logWalRepair("WAL", rep.walRepair());
            logWalRepair("checkpoint", rep.checkpointRepair());
            logWalRepair("WBL", rep.wblRepair());
            rep.chunkRepairs().forEach(c -> LOG.warn("Head chunk file corruption repaired: {}", c));
        }
        db.corruptBlocks().forEach((ulid, why) -> LOG.error("Corrupt block quarantined block={} err={}", ulid, why));
    }

    private static void logWalRepair(String what, io.specula.tsdb.wal.WalRepair.Result r) {
        if (r != null) {
            LOG.warn("{} corruption repaired: segment {} truncated at offset {} (dropped {} bytes), later segments deleted: {}",
                    what, r.segment(), r.offset(), r.droppedBytes(), r.deletedSegments());
        }
    }

    /** Whether {@code --enable-feature=<name>} was given. */
    private boolean feature(String name) {
        return List.of(options.flags().getOrDefault("enable-feature", "").split(",")).contains(name);
    }

    private boolean agentMode() {
        return Boolean.parseBoolean(options.flags().getOrDefault("agent", "false"));
    }

    /**
     * Agent mode: a WAL-only storage under {@code --storage.agent.path}, scraping and discovery;
     * no TSDB, rules or queries. The WAL is truncated every {@code --storage.agent.wal-truncate-frequency}
     * to {@code --storage.agent.retention.max-time}, never past a segment the remote-write queues
     * have not delivered (within the sender's retention bound).
     */
    private void runAgent() throws IOException, ConfigException {
        checkAgentConfig(config);
        Map<String, String> f = options.flags();
        io.specula.tsdb.wal.WalWriter.Options wo = io.specula.tsdb.wal.WalWriter.Options.defaults()
                .withSnappy(Boolean.parseBoolean(f.get("storage.agent.wal-compression")));
        long segment = Long.parseLong(f.getOrDefault("storage.agent.wal-segment-size", "0"));
        if (segment > 0) {
            wo = wo.withSegmentSize((int) Math.min(Integer.MAX_VALUE, segment));
        }
        Path dir = Path.of(f.get("storage.agent.path"));
        AgentStorage a = AgentStorage.open(dir, wo);
        agent = a;
        LOG.info("Agent WAL opened path={} series={}", a.walDir(), a.numSeries());
        Labels ext = config.global().externalLabels();
        long maxBody = Runtime.getRuntime().maxMemory() / 4;
        scrape = new ScrapeService(a, new ScrapeOptions(options.extraScrapeMetrics(),
                ScrapeOptions.seed(ext, hostname()), maxBody), config.dir());
        // The sender follows the agent's WAL; its unsent segments are held back from truncation.
        RemoteWriteStorage rw = new RemoteWriteStorage(a.walDir(), dir.resolve(RemoteWriteStorage.STATE_DIR), registry,
                Long.parseLong(f.getOrDefault("storage.remote.wal-retention-size", Long.toString(4L << 30))));
        remoteWrite = rw;
        rw.setMetadataSource(this::scrapeMetadata);
        a.setWalHold(rw::keepWalFrom);
        applyRemoteWrite(config);
        scrape.applyConfig(config.scrapeConfigs());
        long every = PromDuration.parse(f.get("storage.agent.wal-truncate-frequency")).millis();
        long maxAge = PromDuration.parse(f.get("storage.agent.retention.max-time")).millis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                int n = a.truncate(System.currentTimeMillis() - maxAge);
                LOG.info("agent WAL truncated segments={}", n);
            } catch (IOException | RuntimeException e) {
                LOG.error("agent WAL truncation failed err={}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        reloadStatus = new ReloadStatus(true, System.currentTimeMillis());
        LOG.info("Server is ready to receive web requests.");
    }

    /** The active targets' metadata from their last scrapes, for remote write's {@code metadata_config}. */
    private void scrapeMetadata(io.specula.remote.write.MetadataSource.Visitor v) {
        ScrapeService sc = scrape;
        if (sc == null) {
            return;
        }
        for (List<io.specula.scrape.Target> targets : sc.scrapeManager().activeTargets().values()) {
            for (io.specula.scrape.Target t : targets) {
                t.metadata().forEach((family, md) -> v.visit(family, md.type(), md.help(), md.unit()));
            }
        }
    }

    /** Prometheus's refusals of server-only blocks in agent mode (the embedded default's rules are just not run). */
    private void checkAgentConfig(ConfigLoader.Loaded c) throws ConfigException {
        if (options.configFile() == null) {
            return;
        }
        if (c.alerting() != null && c.alerting().alertmanagers != null && !c.alerting().alertmanagers.isEmpty()) {
            throw new ConfigException("field alerting is not allowed in agent mode");
        }
        if (!c.ruleFiles().isEmpty()) {
            throw new ConfigException("field rule_files is not allowed in agent mode");
        }
        if (!c.remoteRead().isEmpty()) {
            throw new ConfigException("field remote_read is not allowed in agent mode");
        }
    }

    @Override
    public io.specula.tsdb.storage.Appendable appendable() {
        return agentMode() ? agent : db;
    }

    @Override
    public boolean ready() {
        return agentMode() ? agent != null : db != null;
    }

    private void applyRemoteWrite(ConfigLoader.Loaded c) throws ConfigException {
        try {
            remoteWrite.applyConfig(c.remoteWrite(), c.global().externalLabels());
        } catch (HttpClients.ClientConfigException e) {
            throw new ConfigException("error creating remote write client: " + e.getMessage());
        }
    }

    private RuleManagerOptions rulesOptions(ConfigLoader.Loaded c) {
        return options.rules().withExternal(c.global().externalLabels(), externalUrl)
                .withDefaultQueryOffset(c.global().ruleQueryOffset.millis());
    }

    private void updateRules(RuleManager rm, ConfigLoader.Loaded c) throws ConfigException {
        try {
            rm.update(c.ruleFiles(), c.dir(), c.global().evaluationInterval.millis(), rulesOptions(c));
        } catch (RuleFileException e) {
            throw new ConfigException("error loading rules: " + String.join("; ", e.errors()));
        } catch (IOException e) {
            throw new ConfigException("error loading rules: " + e.getMessage());
        }
    }

    private ConfigLoader.Loaded embedded() throws ConfigException {
        return ConfigLoader.parse(ConfigLoader.embeddedDefault(embeddedSelfAddress, embeddedRules.toString(),
                        options.web().routePrefix()),
                Path.of("<embedded default>"), options.storagePath().toAbsolutePath().getParent(), feature("native-histograms"));
    }

    /**
     * The host exporter's defaults, without the text file collector when node_exporter's default
     * directory does not exist (it would only report an error on every scrape).
     */
    private static NodeExporterOptions hostOptions() {
        NodeExporterOptions o = NodeExporterOptions.defaults();
        if (!Files.isDirectory(Path.of(o.flag("collector.textfile.directory")))) {
            Set<String> c = new HashSet<>(o.collectors());
            c.remove("textfile");
            o = o.withCollectors(c);
        }
        return o;
    }

    /** Writes the default rules where the rule manager reads them (rewritten only when they changed). */
    private static Path writeDefaultRules(Path storage) throws IOException {
        Path f = storage.toAbsolutePath().resolve(ConfigLoader.DEFAULT_RULES_FILE);
        String rules = ConfigLoader.defaultRules();
        Files.createDirectories(f.getParent());
        if (!Files.exists(f) || !Files.readString(f, StandardCharsets.UTF_8).equals(rules)) {
            Files.writeString(f, rules, StandardCharsets.UTF_8);
        }
        return f;
    }

    @Override
    public Map<String, MetricsSource> metricsEndpoints() {
        return endpoints;
    }

    private void compact() {
        try {
            int n = db.compact();
            if (n > 0) {
                LOG.info("compaction wrote blocks={}", n);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("compaction failed err={}", e.toString());
        }
    }

    @Override
    public synchronized void reload() throws ConfigException {
        if (closed) {
            throw new ConfigException("server is shutting down");
        }
        try {
            ConfigLoader.Loaded next = options.configFile() == null ? embedded() : ConfigLoader.load(options.configFile(), feature("native-histograms"));
            if (agentMode()) {
                checkAgentConfig(next);
            }
            if (next.outOfOrderTimeWindowMillis() != config.outOfOrderTimeWindowMillis()) {
                throw new ConfigException("changing storage.tsdb.out_of_order_time_window needs a restart of Specula");
            }
            if (rules != null) {
                updateRules(rules, next); // first: a bad rule file leaves everything as it was
            }
            DB d = db;
            if (d != null && feature("exemplar-storage") && next.maxExemplars() != config.maxExemplars()) {
                int kept = d.exemplars().resize(next.maxExemplars());
                LOG.info("Exemplar storage resized from={} to={} migrated={}", config.maxExemplars(), next.maxExemplars(), kept);
            }
            if (remoteWrite != null) {
                applyRemoteWrite(next); // queues whose entry did not change keep running
            }
            if (scrape != null) {
                scrape.applyConfig(next.scrapeConfigs());
            }
            notifier.applyConfig(next.alerting(), next.global().externalLabels());
            incidents.applyConfig(next.incidents(), next.global().evaluationInterval.millis());
            applyRemoteRead(next);
            config = next;
            reloadStatus = new ReloadStatus(true, System.currentTimeMillis());
            LOG.info("Completed loading of configuration file filename={}", next.file());
        } catch (ConfigException e) {
            reloadStatus = new ReloadStatus(false, reloadStatus.lastSuccessMillis());
            LOG.error("Error reloading config err=\"{}\"", e.getMessage());
            throw e;
        }
    }

    private void applyRemoteRead(ConfigLoader.Loaded c) throws ConfigException {
        try {
            remoteRead.applyConfig(c.remoteRead());
        } catch (io.specula.httpclient.HttpClients.ClientConfigException e) {
            throw new ConfigException("remote_read: " + e.getMessage());
        }
    }

    @Override
    public io.specula.tsdb.storage.Queryable queryable(DB local) {
        return remoteRead.fanout(local, this::externalLabels, () -> localStartTime(local));
    }

    /**
     * Where the local data starts, as Prometheus's remote-read client sees it: the oldest block's
     * start, or now without blocks, plus two minimum block durations of margin.
     */
    private long localStartTime(DB local) {
        java.util.List<io.specula.tsdb.block.Block> blocks = local.blocks();
        long start = blocks.isEmpty() ? System.currentTimeMillis()
                : blocks.stream().mapToLong(b -> b.meta().minTime()).min().getAsLong();
        return start + 2 * options.db().minBlockDuration();
    }

    /** Counts down when the server has stopped ({@link #quit()} or {@link #close()}). */
    public CountDownLatch stoppedLatch() {
        return stopped;
    }

    @Override
    public void quit() {
        Thread.ofPlatform().name("server-quit").start(this::close);
    }

    /** Stops scraping, the HTTP side and compaction, then closes the TSDB (flushing its WAL). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        if (scrape != null) {
            scrape.close();
        }
        if (rules != null) {
            rules.close();
        }
        incidents.close();
        remoteRead.close();
        if (remoteWrite != null) {
            remoteWrite.close(); // saves each queue's WAL position
        }
        notifier.close(); // drains the queue to the Alertmanagers (bounded wait)
        if (web != null) {
            web.stop();
        }
        AgentStorage ag = agent;
        agent = null;
        if (ag != null) {
            try {
                ag.close();
            } catch (IOException e) {
                LOG.error("closing agent WAL failed err={}", e.toString());
            }
        }
        DB d = storage;
        db = null;
        storage = null;
        if (d != null) {
            try {
                d.close();
            } catch (IOException e) {
                LOG.error("closing TSDB failed err={}", e.toString());
            }
        }
        if (host != null) {
            host.close();
        }
        stopped.countDown();
        LOG.info("See you next time!");
    }

    /** Port the HTTP side is bound to. */
    public int port() {
        return web.port();
    }

    @Override
    public DB db() {
        return db;
    }

    /** The rule manager, or null before the TSDB is open. */
    @Override
    public RuleManager rules() {
        return rules;
    }

    @Override
    public Notifier notifier() {
        return notifier;
    }

    @Override
    public IncidentManager incidents() {
        return incidents;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public ScrapeService scrape() {
        return scrape;
    }

    @Override
    public String configYaml() {
        ConfigLoader.Loaded c = config;
        return c == null ? "" : c.yaml();
    }

    @Override
    public Map<String, String> flags() {
        return options.flags();
    }

    @Override
    public Labels externalLabels() {
        ConfigLoader.Loaded c = config;
        return c == null ? Labels.EMPTY : c.global().externalLabels();
    }

    @Override
    public io.specula.remote.otlp.OtlpOptions otlpOptions() {
        ConfigLoader.Loaded c = config;
        return c == null ? io.specula.remote.otlp.OtlpOptions.DEFAULTS : c.otlp();
    }

    @Override
    public ReloadStatus reloadStatus() {
        return reloadStatus;
    }

    @Override
    public PrometheusRegistry registry() {
        return registry;
    }

    ServerOptions options() {
        return options;
    }

    /** The address the embedded default scrapes: this server, on loopback when bound to all interfaces. */
    static String selfAddress(String listenAddress, int port) {
        String host = listenAddress.substring(0, Math.max(0, listenAddress.lastIndexOf(':')));
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("[::]")) {
            host = "localhost";
        }
        return host + ":" + port;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }
}
