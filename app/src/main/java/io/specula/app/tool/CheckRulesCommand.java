package io.specula.app.tool;

import io.specula.model.labels.Labels;
import io.specula.rules.rulefmt.GroupSpec;
import io.specula.rules.rulefmt.RuleFileException;
import io.specula.rules.rulefmt.RuleFiles;
import io.specula.rules.rulefmt.RuleSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
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

    @Override
    public Integer call() {
        if (!List.of("all", "duplicate-rules", "none").contains(lint)) {
            System.err.println("specula: error: invalid --lint value " + lint
                    + " (valid: all, duplicate-rules, none)");
            return 1;
        }
        for (String f : files) {
            if (!Files.exists(Path.of(f))) {
                System.err.println("specula: error: path '" + f + "' does not exist, try --help");
                return 1;
            }
        }
        boolean failed = false, hasErrors = false;
        for (String f : files) {
            System.out.println("Checking " + f);
            List<GroupSpec> groups;
            try {
                groups = RuleFiles.load(Path.of(f));
            } catch (RuleFileException e) {
                System.err.println("  FAILED:");
                e.errors().forEach(System.err::println);
                failed = true;
                hasErrors = true;
                System.out.println();
                continue;
            }
            String lintError = lint.equals("none") ? null : duplicates(groups);
            if (lintError != null) {
                System.err.println("  FAILED:");
                System.err.println(lintError);
                failed = true;
            } else {
                int n = groups.stream().mapToInt(g -> g.rules().size()).sum();
                System.out.println("  SUCCESS: " + n + " rules found");
            }
            System.out.println();
        }
        System.out.flush();
        if (failed && hasErrors) {
            return 1;
        }
        return failed && lintFatal ? 3 : 0;
    }

    private record Key(String metric, Labels labels) {}

    /** promtool's duplicate-rules lint: rules with the same name and labels, listed once each. */
    static String duplicates(List<GroupSpec> groups) {
        List<Key> keys = new ArrayList<>();
        for (GroupSpec g : groups) {
            for (RuleSpec r : g.rules()) {
                keys.add(new Key(r.name(), r.labels()));
            }
        }
        Comparator<Key> order = Comparator.comparing(Key::metric).thenComparing(Key::labels);
        keys.sort(order);
        List<Key> dups = new ArrayList<>();
        for (int i = 1; i < keys.size(); i++) {
            if (order.compare(keys.get(i - 1), keys.get(i)) == 0
                    && (dups.isEmpty() || order.compare(keys.get(i), dups.getLast()) != 0)) {
                dups.add(keys.get(i));
            }
        }
        if (dups.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("lint error ").append(dups.size()).append(" duplicate rule(s) found.\n");
        for (Key k : dups) {
            sb.append("Metric: ").append(k.metric()).append("\nLabel(s):\n");
            k.labels().forEach((n, v) -> sb.append('\t').append(n).append(": ").append(v).append('\n'));
        }
        return sb.append("Might cause inconsistency while recording expressions").toString();
    }
}
