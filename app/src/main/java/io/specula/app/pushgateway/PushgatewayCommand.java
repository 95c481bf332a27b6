package io.specula.app.pushgateway;

import io.specula.app.Daemons;
import io.specula.app.Version;
import io.specula.model.config.ConfigException;
import io.specula.model.config.PromDuration;
import io.specula.pushgateway.Pushgateway;
import io.specula.pushgateway.PushgatewayOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code specula pushgateway}: the Pushgateway with its flag names and defaults. Stops on
 * SIGTERM/SIGINT or {@code /-/quit} (with {@code --web.enable-lifecycle}), persisting first.
 */
@Command(
        name = "pushgateway",
        description = "Run the Pushgateway (grouped pushes from batch jobs, consistency checks, persistence).",
        mixinStandardHelpOptions = true)
public final class PushgatewayCommand implements Callable<Integer> {

    @Option(names = "--web.listen-address", paramLabel = "ADDRESS", defaultValue = ":9091",
            description = "Address on which to expose metrics and web interface (default: ${DEFAULT-VALUE}).")
    String listenAddress;

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "Path to configuration file that can enable TLS or authentication (the exporter toolkit's format).")
    Path webConfigFile;

    @Option(names = "--web.telemetry-path", paramLabel = "PATH", defaultValue = "/metrics",
            description = "Path under which to expose metrics (default: ${DEFAULT-VALUE}).")
    String telemetryPath;

    @Option(names = "--web.external-url", paramLabel = "URL", defaultValue = "",
            description = "The URL under which the Pushgateway is externally reachable.")
    String externalUrl;

    @Option(names = "--web.route-prefix", paramLabel = "PATH", defaultValue = "",
            description = "Prefix for the internal routes of web endpoints. Defaults to the path of --web.external-url.")
    String routePrefix;

    @Option(names = "--web.enable-lifecycle", description = "Enable shutdown via HTTP request.")
    boolean enableLifecycle;

    @Option(names = "--web.enable-admin-api", description = "Enable API endpoints for admin control actions.")
    boolean enableAdminApi;

    @Option(names = "--persistence.file", paramLabel = "FILE", defaultValue = "",
            description = "File to persist metrics. If empty, metrics are only kept in memory.")
    String persistenceFile;

    @Option(names = "--persistence.interval", paramLabel = "DURATION", defaultValue = "5m",
            description = "The minimum interval at which to write out the persistence file (default: ${DEFAULT-VALUE}).")
    String persistenceInterval;

    @Option(names = "--push.disable-consistency-check", description = "Do not check consistency of pushed metrics. DANGEROUS.")
    boolean disableConsistencyCheck;

    // kingpin's negated forms of the boolean flags (picocli cannot derive them for dotted names).
    @Option(names = "--no-web.enable-lifecycle", hidden = true)
    void noLifecycle(boolean unused) {
        enableLifecycle = false;
    }

    @Option(names = "--no-web.enable-admin-api", hidden = true)
    void noAdminApi(boolean unused) {
        enableAdminApi = false;
    }

    @Option(names = "--no-push.disable-consistency-check", hidden = true)
    void noDisableConsistencyCheck(boolean unused) {
        disableConsistencyCheck = false;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PushgatewayOptions o = new PushgatewayOptions();
        o.listenAddress = listenAddress;
        o.telemetryPath = telemetryPath;
        o.webConfigFile = webConfigFile;
        o.externalUrl = externalUrl;
        o.routePrefix = routePrefix;
        o.enableLifecycle = enableLifecycle;
        o.enableAdminApi = enableAdminApi;
        o.disableConsistencyCheck = disableConsistencyCheck;
        o.persistenceFile = persistenceFile.isEmpty() ? null : Path.of(persistenceFile);
        o.version = Version.version();
        try {
            o.persistenceInterval = PromDuration.parse(persistenceInterval).toJavaDuration();
        } catch (IllegalArgumentException e) {
            return fail("--persistence.interval: " + e.getMessage());
        }
        // The inherited logging flags, as given (or their defaults), for /api/v1/status.
        CommandLine.ParseResult parsed = spec.root().commandLine().getParseResult();
        for (String flag : new String[] {"--log.level", "--log.format"}) {
            String given = null;
            for (CommandLine.ParseResult r = parsed; r != null; r = r.subcommand()) {
                if (r.hasMatchedOption(flag)) {
                    given = r.matchedOptionValue(flag, (String) null);
                }
            }
            o.extraFlags.put(flag.substring(2), given != null ? given : flag.equals("--log.level") ? "info" : "logfmt");
        }
        Pushgateway pg;
        try {
            pg = Pushgateway.start(o);
        } catch (ConfigException | IOException e) {
            return fail(e.getMessage());
        }
        CountDownLatch stopped = pg.quitRequested();
        Daemons.run(() -> { }, pg::close, stopped);
        pg.close();
        return 0;
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("error: " + message);
        return 1;
    }
}
