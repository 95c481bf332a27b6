package io.specula.app.server;

import io.specula.app.Daemons;
import io.specula.app.config.ConfigLoader;
import io.specula.model.config.ConfigException;
import io.specula.model.config.PromDuration;
import io.specula.promql.engine.EngineOptions;
import io.specula.promql.parser.ParserOptions;
import io.specula.rules.RuleManagerOptions;
import io.specula.rules.notifier.NotifierOptions;
import io.specula.scrape.config.ByteSize;
import io.specula.tsdb.DB;
import io.specula.tsdb.head.Head;
import io.specula.web.WebOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code specula server}: the Prometheus server, with Prometheus's flag names and defaults.
 * Without {@code --config.file} it runs the embedded default and monitors itself.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the monitoring server: scrape targets, store samples, answer PromQL over HTTP API v1.")
public final class ServerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

    /** Feature flags that change Specula's behaviour. */
    static final Set<String> FEATURES = Set.of("promql-experimental-functions", "promql-delayed-name-removal",
            "promql-duration-expr", "promql-extended-range-selectors", "promql-binop-fill-modifiers",
            "extra-scrape-metrics", "exemplar-storage", "native-histograms", "otlp-native-delta-ingestion");
    /** Feature flags of Prometheus that have no effect on a JVM (accepted so existing command lines work). */
    static final Set<String> NO_OP_FEATURES = Set.of("auto-gomaxprocs", "auto-gomemlimit", "new-service-discovery-manager",
            "no-default-scrape-port", "utf8-names", "concurrent-rule-eval", "metadata-wal-records", "delayed-compaction",
            "memory-snapshot-on-shutdown", "expand-external-labels");

    @Option(names = "--config.file", paramLabel = "FILE",
            description = "Prometheus configuration file path. Without it, Specula runs its embedded default: it monitors the host "
                    + "(in-process node exporter at /node/metrics) and itself every 15s, with default alerting rules "
                    + "(--print-default-config, --print-default-rules).")
    Path configFile;

    @Option(names = "--storage.tsdb.path", paramLabel = "DIR", defaultValue = "data/",
            description = "Base path for metrics storage (default: ${DEFAULT-VALUE}).")
    Path storagePath;

    @Option(names = "--storage.tsdb.retention.time", paramLabel = "DURATION",
            description = "How long to retain samples in storage. Default 15d when no size retention is set.")
    String retentionTime;

    @Option(names = "--storage.tsdb.retention", hidden = true, paramLabel = "DURATION",
            description = "[DEPRECATED] Use --storage.tsdb.retention.time.")
    String retentionDeprecated;

    @Option(names = "--storage.tsdb.retention.size", paramLabel = "SIZE", defaultValue = "0",
            description = "Maximum number of bytes of blocks (units: B, KB, MB, GB, TB, PB, EB; default: ${DEFAULT-VALUE}, no limit).")
    String retentionSize;

    @Option(names = "--storage.remote.wal-retention-size", paramLabel = "SIZE", defaultValue = "4GB",
            description = "Specula's own: how much WAL remote-write queues that are behind (a receiver down) may keep from "
                    + "being checkpointed, so they resend it later; beyond it the oldest is released (default: ${DEFAULT-VALUE}).")
    String remoteWalRetentionSize;

    @Option(names = "--storage.tsdb.min-block-duration", paramLabel = "DURATION", defaultValue = "2h",
            description = "Minimum duration of a data block before being persisted (default: ${DEFAULT-VALUE}).")
    String minBlockDuration;

    @Option(names = "--storage.tsdb.max-block-duration", paramLabel = "DURATION",
            description = "Maximum duration compacted blocks may span (default: 10%% of the retention period, at most 31d).")
    String maxBlockDuration;

    @Option(names = "--storage.tsdb.wal-compression", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Compress the tsdb WAL with Snappy (default: ${DEFAULT-VALUE}).")
    boolean walCompression;

    @Option(names = {"--storage.tsdb.no-lockfile", "--storage.tsdb.allow-overlapping-blocks"},
            hidden = true, description = "Accepted for compatibility.")
    boolean acceptedStorageBooleans;

    @Option(names = "--web.listen-address", paramLabel = "ADDRESS", defaultValue = "0.0.0.0:9090",
            description = "Address to listen on for UI, API, and telemetry (default: ${DEFAULT-VALUE}).")
    String listenAddress;

    @Option(names = "--web.external-url", paramLabel = "URL",
            description = "The URL under which Specula is externally reachable; its path is the default route prefix.")
    String externalUrl;

    @Option(names = "--web.route-prefix", paramLabel = "PATH",
            description = "Prefix for the internal routes of web endpoints (default: path of --web.external-url).")
    String routePrefix;

    @Option(names = "--web.enable-lifecycle", description = "Enable shutdown and reload via HTTP request.")
    boolean enableLifecycle;

    @Option(names = "--web.enable-admin-api", description = "Enable API endpoints for admin control actions.")
    boolean enableAdminApi;

    @Option(names = "--web.enable-remote-write-receiver",
            description = "Enable API endpoint accepting remote write requests (remote write 1.0 and 2.0 at /api/v1/write).")
    boolean enableRemoteWriteReceiver;

    @Option(names = "--agent", description = "Run in agent mode: scrape, discover and remote-write only, on a WAL-only storage (no queries, rules or blocks).")
    boolean agent;

    @Option(names = "--storage.agent.path", paramLabel = "DIR", defaultValue = "data-agent/",
            description = "Base path for metrics storage in agent mode (default: ${DEFAULT-VALUE}).")
    Path agentPath;

    @Option(names = "--storage.agent.wal-compression", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Compress the agent WAL (default: ${DEFAULT-VALUE}).")
    boolean agentWalCompression;

    @Option(names = "--storage.agent.wal-segment-size", paramLabel = "SIZE", defaultValue = "0",
            description = "Size at which to split WAL segment files, e.g. 100MB; 0 = 128MB.")
    String agentWalSegmentSize;

    @Option(names = "--storage.agent.wal-truncate-frequency", paramLabel = "DURATION", defaultValue = "2h",
            description = "The frequency at which to truncate the WAL and remove old data (default: ${DEFAULT-VALUE}).")
    String agentTruncateFrequency;

    @Option(names = "--storage.agent.retention.min-time", paramLabel = "DURATION", defaultValue = "5m",
            description = "Minimum age samples may be before being considered for deletion when the WAL is truncated (default: ${DEFAULT-VALUE}).")
    String agentMinTime;

    @Option(names = "--storage.agent.retention.max-time", paramLabel = "DURATION", defaultValue = "4h",
            description = "Maximum age samples may be before being forcibly deleted when the WAL is truncated (default: ${DEFAULT-VALUE}).")
    String agentMaxTime;

    @Option(names = "--storage.agent.no-lockfile", description = "Do not create lockfile in data directory.")
    boolean agentNoLockfile;

    @Option(names = "--web.enable-otlp-receiver",
            description = "Enable API endpoint accepting OTLP write requests (/api/v1/otlp/v1/metrics).")
    boolean enableOtlpReceiver;

    @Option(names = "--web.remote-write-receiver.accepted-protobuf-messages", paramLabel = "MESSAGE", split = ",",
            description = "List of the remote write protobuf messages to accept when receiving the remote writes. "
                    + "Supported values: prometheus.WriteRequest, io.prometheus.write.v2.Request (default: both).")
    List<String> acceptedRemoteWriteMessages;

    @Option(names = "--storage.remote.read-sample-limit", paramLabel = "N", defaultValue = "50000000",
            description = "Maximum overall number of samples to return via the remote read interface, in a single query. 0 means no limit. Ignored for streamed response types (default: ${DEFAULT-VALUE}).")
    long remoteReadSampleLimit;

    @Option(names = "--storage.remote.read-concurrent-limit", paramLabel = "N", defaultValue = "10",
            description = "Maximum number of concurrent remote read calls. 0 means no limit (default: ${DEFAULT-VALUE}).")
    int remoteReadConcurrentLimit;

    @Option(names = "--storage.remote.read-max-bytes-in-frame", paramLabel = "BYTES", defaultValue = "1048576",
            description = "Maximum number of bytes in a single frame for streaming remote read response types before marshalling (default: ${DEFAULT-VALUE}).")
    int remoteReadMaxBytesInFrame;

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "Path to configuration file that can enable TLS or authentication (Prometheus's web configuration format).")
    Path webConfigFile;

    @Option(names = "--web.page-title", paramLabel = "TITLE", defaultValue = WebOptions.DEFAULT_PAGE_TITLE,
            description = "Document title of the web UI's pages (default: ${DEFAULT-VALUE}).")
    String pageTitle;

    @Option(names = "--web.max-connections", paramLabel = "N", defaultValue = "512",
            description = "Maximum number of simultaneous connections across all listeners (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--web.cors.origin", paramLabel = "REGEX", defaultValue = ".*",
            description = "Regex for CORS origin. It is fully anchored. Example: 'https?://(domain1|domain2)\\.com' (default: ${DEFAULT-VALUE}).")
    String corsOrigin;

    @Option(names = {"--web.read-timeout",
        "--web.console.templates", "--web.console.libraries", "--web.user-assets"},
            hidden = true, paramLabel = "VALUE", description = "Accepted for compatibility; no effect yet.")
    List<String> acceptedWebValues;

    @Option(names = "--query.timeout", paramLabel = "DURATION", defaultValue = "2m",
            description = "Maximum time a query may take before being aborted (default: ${DEFAULT-VALUE}).")
    String queryTimeout;

    @Option(names = "--query.max-samples", paramLabel = "N", defaultValue = "50000000",
            description = "Maximum number of samples a single query can load into memory (default: ${DEFAULT-VALUE}).")
    long queryMaxSamples;

    @Option(names = "--query.max-concurrency", paramLabel = "N", defaultValue = "20",
            description = "Maximum number of queries executed concurrently (default: ${DEFAULT-VALUE}).")
    int queryMaxConcurrency;

    @Option(names = "--query.lookback-delta", paramLabel = "DURATION", defaultValue = "5m",
            description = "The maximum lookback duration for retrieving metrics during expression evaluations (default: ${DEFAULT-VALUE}).")
    String lookbackDelta;

    @Option(names = "--rules.alert.for-outage-tolerance", paramLabel = "DURATION", defaultValue = "1h",
            description = "Max time to tolerate Specula outage for restoring \"for\" state of alert (default: ${DEFAULT-VALUE}).")
    String forOutageTolerance;

    @Option(names = "--rules.alert.for-grace-period", paramLabel = "DURATION", defaultValue = "10m",
            description = "Minimum duration between alert and restored \"for\" state (default: ${DEFAULT-VALUE}).")
    String forGracePeriod;

    @Option(names = "--rules.alert.resend-delay", paramLabel = "DURATION", defaultValue = "1m",
            description = "Minimum amount of time to wait before resending an alert to Alertmanager (default: ${DEFAULT-VALUE}).")
    String resendDelay;

    @Option(names = "--rules.max-concurrent-evals", paramLabel = "N", defaultValue = "4",
            description = "Global concurrency limit for rule group evaluations (default: ${DEFAULT-VALUE}).")
    int maxConcurrentEvals;

    @Option(names = "--alertmanager.notification-queue-capacity", paramLabel = "N", defaultValue = "10000",
            description = "The capacity of the queue for pending Alertmanager notifications (default: ${DEFAULT-VALUE}).")
    int notificationQueueCapacity;

    @Option(names = "--alertmanager.drain-notification-queue-on-shutdown", negatable = true, defaultValue = "true",
            fallbackValue = "true", description = "Send any outstanding Alertmanager notifications when shutting down (default: ${DEFAULT-VALUE}).")
    boolean drainNotificationQueue;

    @Option(names = "--enable-feature", paramLabel = "FEATURE", split = ",",
            description = "Comma separated feature names to enable: promql-experimental-functions, promql-delayed-name-removal, "
                    + "promql-duration-expr, promql-extended-range-selectors, promql-binop-fill-modifiers, extra-scrape-metrics.")
    List<String> features = new ArrayList<>();

    @Option(names = "--print-default-config",
            description = "Print the embedded default configuration (the host and the server itself) and exit.")
    boolean printDefaultConfig;

    @Option(names = "--print-default-rules", description = "Print the default alerting rules the embedded default loads and exit.")
    boolean printDefaultRules;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (printDefaultConfig || printDefaultRules) {
            var out = spec.commandLine().getOut();
            if (printDefaultConfig) {
                out.print(ConfigLoader.embeddedDefault(selfAddress(listenAddress), ConfigLoader.DEFAULT_RULES_FILE,
                        routePrefix(externalUrl, routePrefix)));
            }
            if (printDefaultRules) {
                out.print(ConfigLoader.defaultRules());
            }
            out.flush();
            return 0;
        }
        ServerOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        Server server;
        try {
            server = Server.start(options);
        } catch (ConfigException e) {
            return fail("loading configuration: " + e.getMessage());
        } catch (IOException e) {
            return fail(e.getMessage());
        }
        Daemons.run(server::reload, server::close, server.stoppedLatch());
        return 0;
    }

    /** Validates the flags into options; a bad value throws with the flag named. */
    ServerOptions options() {
        if (remoteReadSampleLimit < 0 || remoteReadConcurrentLimit < 0) {
            throw new IllegalArgumentException("--storage.remote.read-sample-limit and --storage.remote.read-concurrent-limit must not be negative");
        }
        if (remoteReadMaxBytesInFrame <= 0) {
            throw new IllegalArgumentException("--storage.remote.read-max-bytes-in-frame must be positive");
        }
        boolean remoteWriteReceiver = enableRemoteWriteReceiver;
        boolean otlpReceiver = enableOtlpReceiver;
        boolean agentMode = agent;
        List<String> rwMessages = acceptedRemoteWriteMessages == null || acceptedRemoteWriteMessages.isEmpty()
                ? List.of("prometheus.WriteRequest", "io.prometheus.write.v2.Request")
                : acceptedRemoteWriteMessages.stream().map(String::strip).distinct().toList();
        for (String m : rwMessages) {
            if (!m.equals("prometheus.WriteRequest") && !m.equals("io.prometheus.write.v2.Request")) {
                throw new IllegalArgumentException("--web.remote-write-receiver.accepted-protobuf-messages: unknown message " + m
                        + "; supported: prometheus.WriteRequest, io.prometheus.write.v2.Request");
            }
        }
        Set<String> enabled = new TreeSet<>();
        for (String f : features) {
            String name = f.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (FEATURES.contains(name)) {
                enabled.add(name);
            } else if (NO_OP_FEATURES.contains(name)) {
                LOG.info("Feature flag has no effect in Specula feature={}", name);
            } else if (name.equals("remote-write-receiver")) {
                // Prometheus 2.x's older spelling of --web.enable-remote-write-receiver.
                LOG.warn("Use --web.enable-remote-write-receiver instead of --enable-feature=remote-write-receiver");
                remoteWriteReceiver = true;
            } else if (name.equals("otlp-write-receiver")) {
                // Prometheus 2.x's spelling of --web.enable-otlp-receiver.
                LOG.warn("Use --web.enable-otlp-receiver instead of --enable-feature=otlp-write-receiver");
                otlpReceiver = true;
            } else if (name.equals("agent")) {
                // Prometheus 2.x's spelling of --agent.
                LOG.warn("Use --agent instead of --enable-feature=agent");
                agentMode = true;
            } else {
                LOG.warn("Unknown option for --enable-feature option={}", name);
            }
        }
        long retention = 0;
        String rt = retentionTime != null ? retentionTime : retentionDeprecated;
        long retentionBytes;
        try {
            retentionBytes = ByteSize.parse(retentionSize).bytes();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--storage.tsdb.retention.size: " + e.getMessage());
        }
        if (rt != null) {
            retention = duration("--storage.tsdb.retention.time", rt).toMillis();
        } else if (retentionBytes == 0) {
            retention = 15 * 24 * 3_600_000L;
        }
        long minBlock = duration("--storage.tsdb.min-block-duration", minBlockDuration).toMillis();
        long maxBlock;
        if (maxBlockDuration != null) {
            maxBlock = duration("--storage.tsdb.max-block-duration", maxBlockDuration).toMillis();
        } else {
            maxBlock = Math.max(minBlock, Math.min(31 * 24 * 3_600_000L, retention == 0 ? 31 * 24 * 3_600_000L : retention / 10));
        }
        if (minBlock <= 0 || maxBlock < minBlock) {
            throw new IllegalArgumentException("--storage.tsdb.max-block-duration must be at least --storage.tsdb.min-block-duration");
        }
        Duration timeout = duration("--query.timeout", queryTimeout);
        Duration lookback = duration("--query.lookback-delta", lookbackDelta);
        if (queryMaxConcurrency <= 0) {
            throw new IllegalArgumentException("--query.max-concurrency must be positive");
        }
        try {
            com.google.re2j.Pattern.compile("^(?:" + corsOrigin + ")$");
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new IllegalArgumentException("--web.cors.origin: invalid regex " + corsOrigin + ": " + e.getDescription());
        }
        ParserOptions parser = new ParserOptions(enabled.contains("promql-experimental-functions"),
                enabled.contains("promql-duration-expr"), enabled.contains("promql-extended-range-selectors"),
                enabled.contains("promql-binop-fill-modifiers"));
        EngineOptions engine = new EngineOptions(lookback.toMillis(), queryMaxSamples, timeout.toMillis(), queryMaxConcurrency,
                EngineOptions.defaults().defaultSubqueryStep(), enabled.contains("promql-delayed-name-removal"),
                enabled.contains("promql-experimental-functions"), parser);
        if (notificationQueueCapacity <= 0) {
            throw new IllegalArgumentException("--alertmanager.notification-queue-capacity must be positive");
        }
        NotifierOptions notifier = NotifierOptions.defaults().withQueueCapacity(notificationQueueCapacity)
                .withDrainOnShutdown(drainNotificationQueue)
                .withBaseDir(configFile == null ? null : configFile.toAbsolutePath().getParent());
        RuleManagerOptions rules = RuleManagerOptions.defaults()
                .withForState(duration("--rules.alert.for-outage-tolerance", forOutageTolerance).toMillis(),
                        duration("--rules.alert.for-grace-period", forGracePeriod).toMillis())
                .withResendDelay(duration("--rules.alert.resend-delay", resendDelay).toMillis())
                .withMaxConcurrentEvals(maxConcurrentEvals);
        String prefix = routePrefix(externalUrl, routePrefix);
        String external = externalUrl != null ? externalUrl.replaceAll("/+$", "") : defaultExternalUrl(listenAddress);
        WebOptions web = new WebOptions(listenAddress, external, prefix, enableLifecycle, enableAdminApi, timeout, lookback,
                webConfigFile, maxConnections, pageTitle);
        DB.Options db = new DB.Options(minBlock == 0 ? Head.DEFAULT_CHUNK_RANGE : minBlock, maxBlock, retention, retentionBytes)
                .withWalCompression(walCompression);
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("config.file", configFile == null ? "" : configFile.toString());
        flags.put("storage.tsdb.path", storagePath.toString());
        flags.put("storage.tsdb.retention.time", rt == null ? (retention == 0 ? "0s" : "15d") : rt);
        flags.put("storage.tsdb.retention.size", retentionSize);
        try {
            flags.put("storage.remote.wal-retention-size", Long.toString(ByteSize.parse(remoteWalRetentionSize).bytes()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--storage.remote.wal-retention-size: " + e.getMessage());
        }
        flags.put("storage.tsdb.min-block-duration", minBlockDuration);
        flags.put("storage.tsdb.wal-compression", String.valueOf(walCompression));
        flags.put("storage.tsdb.max-block-duration", PromDuration.ofMillis(maxBlock).toString());
        flags.put("web.listen-address", listenAddress);
        flags.put(io.specula.web.WebServer.CORS_FLAG, corsOrigin);
        flags.put("web.external-url", externalUrl == null ? "" : externalUrl);
        flags.put("web.route-prefix", prefix.isEmpty() ? "/" : prefix);
        flags.put("web.page-title", pageTitle);
        flags.put("web.enable-lifecycle", String.valueOf(enableLifecycle));
        flags.put("web.enable-admin-api", String.valueOf(enableAdminApi));
        flags.put("web.enable-remote-write-receiver", String.valueOf(remoteWriteReceiver));
        flags.put("web.enable-otlp-receiver", String.valueOf(otlpReceiver));
        flags.put("agent", String.valueOf(agentMode));
        if (agentMode) {
            duration("--storage.agent.wal-truncate-frequency", agentTruncateFrequency);
            duration("--storage.agent.retention.min-time", agentMinTime);
            duration("--storage.agent.retention.max-time", agentMaxTime);
            flags.put("storage.agent.path", agentPath.toString());
            flags.put("storage.agent.wal-compression", String.valueOf(agentWalCompression));
            flags.put("storage.agent.wal-segment-size", String.valueOf(agentWalSegmentSize.equals("0") ? 0 : ByteSize.parse(agentWalSegmentSize).bytes()));
            flags.put("storage.agent.wal-truncate-frequency", agentTruncateFrequency);
            flags.put("storage.agent.retention.min-time", agentMinTime);
            flags.put("storage.agent.retention.max-time", agentMaxTime);
            flags.put("storage.agent.no-lockfile", String.valueOf(agentNoLockfile));
        }
        flags.put("web.remote-write-receiver.accepted-protobuf-messages", String.join(",", rwMessages));
        flags.put("storage.remote.read-sample-limit", String.valueOf(remoteReadSampleLimit));
        flags.put("storage.remote.read-concurrent-limit", String.valueOf(remoteReadConcurrentLimit));
        flags.put("storage.remote.read-max-bytes-in-frame", String.valueOf(remoteReadMaxBytesInFrame));
        flags.put("query.timeout", queryTimeout);
        flags.put("query.max-samples", String.valueOf(queryMaxSamples));
        flags.put("query.max-concurrency", String.valueOf(queryMaxConcurrency));
        flags.put("query.lookback-delta", lookbackDelta);
        flags.put("enable-feature", String.join(",", enabled));
        flags.put("alertmanager.notification-queue-capacity", String.valueOf(notificationQueueCapacity));
        flags.put("alertmanager.drain-notification-queue-on-shutdown", String.valueOf(drainNotificationQueue));
        flags.put("rules.alert.for-outage-tolerance", forOutageTolerance);
        flags.put("rules.alert.for-grace-period", forGracePeriod);
        flags.put("rules.alert.resend-delay", resendDelay);
        flags.put("rules.max-concurrent-evals", String.valueOf(maxConcurrentEvals));
        return new ServerOptions(configFile, storagePath, db, engine, web, notifier, rules,
                enabled.contains("extra-scrape-metrics"), flags);
    }

    /**
     * prometheus-operator always passes {@code --web.config.file}; its default file configures
     * nothing Specula lacks. TLS and basic auth of the web side are refused rather than ignored.
     */
    /**
     * Prometheus's default external URL: this host's name and the listen port. With port 0 the
     * server puts in the port it bound ({@link Server}).
     */
    static String defaultExternalUrl(String listenAddress) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return "http://" + host + ":" + listenAddress.substring(listenAddress.lastIndexOf(':') + 1);
    }

    /** Prometheus: the route prefix defaults to the external URL's path; "/" means none. */
    static String routePrefix(String externalUrl, String routePrefix) {
        String p = routePrefix;
        if (p == null) {
            if (externalUrl == null) {
                return "";
            }
            try {
                p = URI.create(externalUrl).getPath();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--web.external-url: invalid URL " + externalUrl);
            }
        }
        if (p == null || p.isEmpty() || p.equals("/")) {
            return "";
        }
        p = p.replaceAll("/+$", "");
        return p.startsWith("/") ? p : "/" + p;
    }

    /** The address the printed default scrapes: this server's listen address, on localhost when it is all interfaces. */
    private static String selfAddress(String listenAddress) {
        return Server.selfAddress(listenAddress, Integer.parseInt(listenAddress.substring(listenAddress.lastIndexOf(':') + 1)));
    }

    private static Duration duration(String flag, String value) {
        try {
            return PromDuration.parse(value).toJavaDuration();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage());
        }
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("error: " + message);
        return 1;
    }
}
