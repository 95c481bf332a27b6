package io.specula.app.nodeexporter;

import io.specula.app.Daemons;
import io.specula.model.config.ConfigException;
import io.specula.nodeexporter.NodeExporter;
import io.specula.nodeexporter.NodeExporterOptions;
import io.specula.nodeexporter.NodeExporterServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code specula node-exporter}: the host exporter with node_exporter's flags: one
 * {@code --collector.NAME} / {@code --no-collector.NAME} pair per collector (added to the
 * command model at start-up from {@link NodeExporter#COLLECTORS} and node_exporter's other
 * collectors), {@code --collector.disable-defaults}, paths, listen address and the collectors'
 * own include/exclude flags with Debian's defaults.
 */
@Command(name = "node-exporter", mixinStandardHelpOptions = true, abbreviateSynopsis = true, modelTransformer = NodeExporterCommand.CollectorFlags.class,
        description = "Run the host exporter: node_exporter's Linux collectors on :9100/metrics.")
public final class NodeExporterCommand implements Callable<Integer> {

    @Option(names = "--web.listen-address", paramLabel = "ADDRESS", defaultValue = ":9100",
            description = "Address on which to expose metrics and web interface (default: ${DEFAULT-VALUE}).")
    String listenAddress;

    @Option(names = "--web.telemetry-path", paramLabel = "PATH", defaultValue = "/metrics",
            description = "Path under which to expose metrics (default: ${DEFAULT-VALUE}).")
    String telemetryPath;

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "Path to configuration file that can enable TLS or authentication (the exporter toolkit's format).")
    Path webConfigFile;

    @Option(names = "--path.procfs", paramLabel = "DIR", defaultValue = "/proc", description = "procfs mountpoint (default: ${DEFAULT-VALUE}).")
    Path procfs;

    @Option(names = "--path.sysfs", paramLabel = "DIR", defaultValue = "/sys", description = "sysfs mountpoint (default: ${DEFAULT-VALUE}).")
    Path sysfs;

    @Option(names = "--path.rootfs", paramLabel = "DIR", defaultValue = "/", description = "rootfs mountpoint (default: ${DEFAULT-VALUE}).")
    Path rootfs;

    @Option(names = "--collector.disable-defaults", description = "Set all collectors to disabled by default.")
    boolean disableDefaults;

    @Option(names = "--collector.cpu.guest", description = "Enables metric node_cpu_guest_seconds_total (default: enabled; "
            + "--no-collector.cpu.guest disables it).")
    boolean cpuGuest = true;

    @Option(names = {"--web.max-requests", "--runtime.gomaxprocs"}, paramLabel = "N", hidden = true,
            description = "Accepted for compatibility; no effect.")
    List<String> ignoredValues;

    @Option(names = {"--web.disable-exporter-metrics"}, hidden = true, description = "Accepted for compatibility; no effect.")
    boolean ignoredBoolean;

    @CommandLine.Spec
    CommandSpec spec;

    final Map<String, String> flags = new LinkedHashMap<>();
    /** Explicit --collector.X (true) and --no-collector.X (false). */
    final Map<String, Boolean> toggles = new LinkedHashMap<>();

    @Override
    public Integer call() {
        NodeExporter exporter;
        try {
            exporter = new NodeExporter(options());
        } catch (ConfigException e) {
            return fail(e.getMessage());
        }
        NodeExporterServer server;
        try {
            server = NodeExporterServer.start(exporter, listenAddress, telemetryPath, webConfigFile);
        } catch (IOException e) {
            exporter.close();
            return fail(e.getMessage());
        }
        org.slf4j.LoggerFactory.getLogger(NodeExporterCommand.class).info("Enabled collectors: {}", String.join(", ", exporter.enabled()));
        Daemons.run(() -> { }, server::close, new CountDownLatch(1));
        return 0;
    }

    /** The exporter's options from the parsed flags. */
    public NodeExporterOptions options() throws ConfigException {
        Set<String> enabled = new TreeSet<>(disableDefaults ? Set.of() : NodeExporter.COLLECTORS);
        for (var t : toggles.entrySet()) {
            if (t.getValue()) {
                enabled.add(t.getKey());
            } else {
                enabled.remove(t.getKey());
            }
        }
        Map<String, String> f = new LinkedHashMap<>(flags);
        f.put("collector.cpu.guest", String.valueOf(cpuGuest));
        return new NodeExporterOptions(procfs, sysfs, rootfs, enabled, f);
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("error: " + message);
        return 1;
    }

    /** node_exporter's value flags the collectors read, with its help texts. */
    static final String[][] VALUE_FLAGS = {
        {"collector.filesystem.mount-points-exclude", "Regexp of mount points to exclude for filesystem collector."},
        {"collector.filesystem.fs-types-exclude", "Regexp of filesystem types to exclude for filesystem collector."},
        {"collector.diskstats.device-exclude", "Regexp of diskstats devices to exclude (mutually exclusive to device-include)."},
        {"collector.diskstats.device-include", "Regexp of diskstats devices to include (mutually exclusive to device-exclude)."},
        {"collector.netdev.device-exclude", "Regexp of net devices to exclude (mutually exclusive to device-include)."},
        {"collector.netdev.device-include", "Regexp of net devices to include (mutually exclusive to device-exclude)."},
        {"collector.netstat.fields", "Regexp of fields to return for netstat collector."},
        {"collector.vmstat.fields", "Regexp of fields to return for vmstat collector."},
        {"collector.textfile.directory", "Directory to read text files with metrics from."},
        {"path.udev.data", "udev data path."},
    };

    /** Adds {@code --[no-]collector.NAME} for every collector node_exporter 1.5 has on Linux. */
    public static final class CollectorFlags implements CommandLine.IModelTransformer {
        private static OptionSpec toggle(String name, boolean hidden, String description, Runnable onSet) {
            return OptionSpec.builder(name).arity("0").type(boolean.class).hidden(hidden).description(description)
                    .setter(new CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) {
                            if (Boolean.TRUE.equals(value)) { // picocli first applies the (absent) default
                                onSet.run();
                            }
                            return null;
                        }
                    }).build();
        }

        @Override
        public CommandSpec transform(CommandSpec spec) {
            NodeExporterCommand cmd = (NodeExporterCommand) spec.userObject();
            Set<String> names = new TreeSet<>(NodeExporter.COLLECTORS);
            names.addAll(NodeExporter.UNSUPPORTED);
            for (String name : names) {
                boolean supported = NodeExporter.COLLECTORS.contains(name);
                // Two options rather than picocli's negatable one: its negation pattern does not take dotted names.
                spec.addOption(toggle("--collector." + name, !supported, "Enable the " + name + " collector (default: "
                        + (supported ? "enabled" : "not supported") + "; --no-collector." + name + " disables it).",
                        () -> cmd.toggles.put(name, true)));
                spec.addOption(toggle("--no-collector." + name, true, "Disable the " + name + " collector.",
                        () -> cmd.toggles.put(name, false)));
            }
            spec.addOption(toggle("--no-collector.cpu.guest", true, "Disable node_cpu_guest_seconds_total.",
                    () -> cmd.cpuGuest = false));
            for (String[] vf : VALUE_FLAGS) {
                String flag = vf[0];
                String def = NodeExporterOptions.DEFAULT_FLAGS.getOrDefault(flag, "");
                spec.addOption(OptionSpec.builder("--" + flag)
                        .paramLabel("VALUE")
                        .arity("1")
                        .type(String.class)
                        .description(vf[1] + (def.isEmpty() ? "" : " (default: " + def.replace("%", "%%") + ")"))
                        .setter(new CommandLine.Model.ISetter() {
                            @Override
                            public <T> T set(T value) {
                                if (value != null) {
                                    cmd.flags.put(flag, (String) value);
                                }
                                return null;
                            }
                        })
                        .build());
            }
            return spec;
        }
    }
}
