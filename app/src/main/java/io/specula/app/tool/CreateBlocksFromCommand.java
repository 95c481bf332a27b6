package io.specula.app.tool;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code specula tool tsdb create-blocks-from …}: backfill blocks from other sources. */
@Command(
        name = "create-blocks-from",
        description = "Create blocks of data from other sources (backfilling).",
        mixinStandardHelpOptions = true,
        subcommands = {CreateBlocksFromOpenMetricsCommand.class})
public final class CreateBlocksFromCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
