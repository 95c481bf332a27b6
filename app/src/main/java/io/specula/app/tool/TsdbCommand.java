package io.specula.app.tool;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code specula tool tsdb …}: promtool's {@code tsdb} commands over a data directory. */
@Command(
        name = "tsdb",
        description = "Run tsdb commands: create blocks, list, analyze and dump them.",
        mixinStandardHelpOptions = true,
        subcommands = {CreateBlocksFromCommand.class, TsdbListCommand.class, TsdbAnalyzeCommand.class, TsdbDumpCommand.class})
public final class TsdbCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
