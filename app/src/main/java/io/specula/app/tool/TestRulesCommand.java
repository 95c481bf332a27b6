package io.specula.app.tool;

import io.specula.app.logging.Logging;
import io.specula.rules.unittest.RuleUnitTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool test rules TEST.yml...}: promtool's {@code test rules}: rule unit tests in
 * promtool's format, with its output ({@code Unit Testing:  f}, {@code SUCCESS} or
 * {@code FAILED:} and the differences) and exit code (1 when any file fails).
 */
@Command(
        name = "rules",
        description = {
            "Unit test rule files (promtool's test file format).",
            "Exit status: 0 when every test passes, 1 otherwise."
        },
        mixinStandardHelpOptions = true)
public final class TestRulesCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "TEST", description = "The unit test files.")
    List<String> files;

    @Override
    public Integer call() {
        for (String f : files) {
            if (!Files.exists(Path.of(f))) {
                System.err.println("specula: error: path '" + f + "' does not exist, try --help");
                return 1;
            }
        }
        // promtool evaluates silently; a rule failure is reported in the test output instead.
        Logging.setLevel("error");
        return new RuleUnitTester(System.out, System.err).run(files);
    }
}
