package io.specula.app.tool;

import io.specula.promql.promqltest.ScriptCli;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool test promql [--verbose] FILE...}: runs PromQL test scripts in
 * Prometheus's format ({@code load}/{@code eval}/{@code expect}) against the engine with an
 * in-memory head. Prints {@code N passed, M failed} per file and in total; exit status 0 when
 * every eval passed, 1 otherwise.
 */
@Command(
        name = "promql",
        description = {
            "Run PromQL test scripts (Prometheus's promqltest format) against the Specula engine.",
            "Exit status: 0 when every eval passes, 1 otherwise.",
        },
        mixinStandardHelpOptions = true)
public final class TestPromqlCommand implements Callable<Integer> {
    @Option(names = "--verbose", description = "Print every failing eval: file:line, expression, expected and got.")
    boolean verbose;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The test scripts to run.")
    List<Path> files;

    @Override
    public Integer call() {
        return ScriptCli.run(files, verbose, System.out);
    }
}
