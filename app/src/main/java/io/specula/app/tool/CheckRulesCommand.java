package io.specula.app.tool;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool check rules FILE...}: promtool's {@code check rules}: every problem of a
 * file in Prometheus's wording, {@code SUCCESS: N rules found} otherwise, and the duplicate-rule
 * lint. Exit status 1 when a file is invalid, 3 when only lint problems were found and
 * {@code --lint-fatal} is set, else 0.
 */
@Command(
        name = "rules",
        description = {
            "Check if the rule files are valid or not.",
            "Exit status: 0 valid, 1 invalid, 3 lint problems with --lint-fatal."
        },
        mixinStandardHelpOptions = true)
public final class CheckRulesCommand implements Callable<Integer> {
    @Option(names = "--lint", defaultValue = "duplicate-rules",
            description = "Linting checks to apply: all, duplicate-rules or none (default: ${DEFAULT-VALUE}).")
    String lint;

    @Option(names = "--lint-fatal", description = "Make lint errors exit with exit code 3.")
    boolean lintFatal;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The rule files to check.")
    List<String> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!List.of("all", "duplicate-rules", "none").contains(lint)) {
            spec.commandLine().getErr().println("specula: error: invalid --lint value " + lint
                    + " (valid: all, duplicate-rules, none)");
            return 1;
        }
        for (String f : files) {
            if (!Files.exists(Path.of(f))) {
                spec.commandLine().getErr().println("specula: error: path '" + f + "' does not exist, try --help");
                return 1;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean failed = false, hasErrors = false;
        for (String f : files) {
            RuleFileCheck.Verdict v = RuleFileCheck.check(Path.of(f), f, !lint.equals("none"), "", out, err);
            failed |= v != RuleFileCheck.Verdict.VALID;
            hasErrors |= v == RuleFileCheck.Verdict.INVALID;
        }
        out.flush();
        err.flush();
        if (failed && hasErrors) {
            return 1;
        }
        return failed && lintFatal ? 3 : 0;
    }
}
