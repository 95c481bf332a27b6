package io.specula.app.alertmanager;

import io.specula.alertmanager.Alertmanager;
import io.specula.app.Daemons;
import io.specula.alertmanager.AlertmanagerOptions;
import io.specula.model.config.ConfigException;
import io.specula.model.config.PromDuration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code specula alertmanager}: runs the Alertmanager with the Go Alertmanager's flag names.
 * Reloads its config on SIGHUP and {@code POST /-/reload}; stops cleanly on SIGTERM/SIGINT,
 * writing its state snapshots. Clustering flags are accepted so existing command lines
 * work, but a non-empty peer list is refused until clustering exists.
 */
@Command(
        name = "alertmanager",
        description = "Run the Alertmanager (routing, grouping, inhibition, silences, webhook receivers, API v2).",
        mixinStandardHelpOptions = true)
public final class AlertmanagerCommand implements Callable<Integer> {

    @Option(names = "--config.file", paramLabel = "FILE", defaultValue = "alertmanager.yml",
            description = "Alertmanager configuration file name (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = "--storage.path", paramLabel = "DIR", defaultValue = "data/",
            description = "Base path for data storage (default: ${DEFAULT-VALUE}).")
    Path storagePath;

    @Option(names = "--data.retention", paramLabel = "DURATION", defaultValue = "120h",
            description = "How long to keep data for (default: ${DEFAULT-VALUE}).")
    String retention;

    @Option(names = "--web.listen-address", paramLabel = "ADDRESS", defaultValue = ":9093",
            description = "Address to listen on for the web interface and API (default: ${DEFAULT-VALUE}).")
    String listenAddress;

    @Option(names = "--web.external-url", paramLabel = "URL",
            description = "The URL under which Alertmanager is externally reachable (used in notifications and to derive the route prefix).")
    String externalUrl;

    @Option(names = "--web.route-prefix", paramLabel = "PATH",
            description = "Prefix for the internal routes of web endpoints (default: path of --web.external-url).")
    String routePrefix;

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "Path to configuration file that can enable TLS or authentication (Prometheus's web configuration format).")
    Path webConfigFile;

    @Option(names = "--cluster.peer", paramLabel = "ADDRESS",
            description = "Initial peers (repeatable). Clustering is not supported yet: setting a peer is refused.")
    List<String> clusterPeers;

    @Option(names = "--cluster.listen-address", paramLabel = "ADDRESS", defaultValue = "0.0.0.0:9094",
            description = "Listen address for cluster (accepted and ignored: clustering is not supported yet).")
    String clusterListenAddress;

    @Option(names = "--cluster.advertise-address", paramLabel = "ADDRESS", description = "Accepted and ignored.")
    String clusterAdvertiseAddress;

    @Option(names = {"--cluster.gossip-interval", "--cluster.pushpull-interval", "--cluster.settle-timeout",
        "--cluster.peer-timeout", "--cluster.reconnect-interval", "--cluster.reconnect-timeout",
        "--cluster.tcp-timeout", "--cluster.probe-timeout", "--cluster.probe-interval", "--cluster.label",
        "--cluster.tls-config", "--cluster.peers-resolve-timeout"},
            paramLabel = "VALUE", description = "Accepted and ignored: clustering is not supported yet.")
    List<String> clusterOther;

    @Option(names = "--cluster.allow-insecure-public-advertise-address-discovery", description = "Accepted and ignored.")
    boolean clusterAllowInsecure;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (clusterPeers != null && clusterPeers.stream().anyMatch(p -> !p.isBlank())) {
            return fail("clustering is not supported yet by Specula's Alertmanager: remove --cluster.peer "
                    + String.join(",", clusterPeers) + " and run a single instance");
        }
        AlertmanagerOptions o = new AlertmanagerOptions();
        o.configFile = configFile;
        o.storagePath = storagePath;
        o.listenAddress = listenAddress;
        o.webConfigFile = webConfigFile;
        o.externalUrl = externalUrl;
        o.routePrefix = routePrefix;
        try {
            o.retention = PromDuration.parse(retention).toJavaDuration();
        } catch (IllegalArgumentException e) {
            return fail("--data.retention: " + e.getMessage());
        }
        Alertmanager am;
        try {
            am = Alertmanager.start(o);
        } catch (ConfigException e) {
            return fail("loading configuration: " + e.getMessage());
        } catch (IOException e) {
            return fail(e.getMessage());
        }
        Daemons.run(am::reload, am::close, new CountDownLatch(1));
        return 0;
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("error: " + message);
        return 1;
    }
}
