package io.specula.app.tool;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code specula tool …}: the equivalents of promtool's commands. */
@Command(
        name = "tool",
        description = "Tooling for the Specula monitoring system (the promtool equivalents).",
        mixinStandardHelpOptions = true,
        subcommands = {CheckCommand.class, QueryCommand.class, TsdbCommand.class, TestCommand.class})
public final class ToolCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
