package io.specula.app;

import io.specula.app.alertmanager.AlertmanagerCommand;
import io.specula.app.logging.Logging;
import io.specula.app.pushgateway.PushgatewayCommand;
import io.specula.app.nodeexporter.NodeExporterCommand;
import io.specula.app.server.ServerCommand;
import io.specula.app.tool.ToolCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The one entry point of the distribution: {@code specula <command> …}. */
@Command(
        name = "specula",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A Prometheus-compatible monitoring system.",
        subcommands = {ServerCommand.class, ToolCommand.class, AlertmanagerCommand.class, PushgatewayCommand.class,
            NodeExporterCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Option(names = "--log.level", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "Only log messages with the given severity or above: debug, info, warn, error (default: ${DEFAULT-VALUE}).",
            defaultValue = "info")
    void logLevel(String level) {
        try {
            Logging.setLevel(level);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--log.level: " + e.getMessage());
        }
    }

    @Option(names = "--log.format", scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "Output format of log messages: logfmt or json (default: ${DEFAULT-VALUE}).",
            defaultValue = "logfmt")
    void logFormat(String format) {
        try {
            Logging.setFormat(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--log.format: " + e.getMessage());
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        Logging.install();
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // A user sees one line, never a stack trace; the trace goes to the debug log.
            org.slf4j.LoggerFactory.getLogger(Main.class).debug("command failed", e);
            cmd.getErr().println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        });
        return cli.execute(args);
    }
}
