package io.specula.app.tool;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code specula tool test …}: run test files (promtool's {@code test} commands). */
@Command(
        name = "test",
        description = "Run test files.",
        mixinStandardHelpOptions = true,
        subcommands = {TestPromqlCommand.class, TestRulesCommand.class})
public final class TestCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
