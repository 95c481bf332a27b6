package io.specula.app.tool;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code specula tool check …}: validate inputs without running anything. */
@Command(
        name = "check",
        description = "Check the resources for validity.",
        mixinStandardHelpOptions = true,
        subcommands = {CheckConfigCommand.class, CheckMetricsCommand.class, CheckAlertmanagerConfigCommand.class, CheckRulesCommand.class, CheckWebConfigCommand.class})
public final class CheckCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
