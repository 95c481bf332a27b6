package io.specula.app.tool;

import io.specula.model.labels.Labels;
import io.specula.rules.rulefmt.GroupSpec;
import io.specula.rules.rulefmt.RuleFileException;
import io.specula.rules.rulefmt.RuleFiles;
import io.specula.rules.rulefmt.RuleSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks one rule file as promtool does, for {@code check rules} and for the rule files of
 * {@code check config}: {@code Checking F}, then {@code SUCCESS: N rules found} or the problems
 * (on stderr), then a blank line.
 */
final class RuleFileCheck {
    private RuleFileCheck() {}

    /** The outcome for one file. */
    enum Verdict { VALID, LINT, INVALID }

    /**
     * @param shown the name printed for the file (as the user gave it)
     * @param lint whether to apply the duplicate-rules lint
     * @param errorPrefix put before each problem: promtool indents them under {@code check config}
     */
    static Verdict check(Path file, String shown, boolean lint, String errorPrefix, PrintWriter out, PrintWriter err) {
        out.println("Checking " + shown);
        List<GroupSpec> groups;
        try {
            groups = RuleFiles.load(file);
        } catch (RuleFileException e) {
            err.println("  FAILED:");
            e.errors().forEach(m -> err.println(errorPrefix + m));
            err.flush();
            out.println();
            return Verdict.INVALID;
        }
        String lintError = lint ? duplicates(groups) : null;
        if (lintError != null) {
            err.println("  FAILED:");
            err.println(errorPrefix + lintError);
            err.flush();
            out.println();
            return Verdict.LINT;
        }
        out.println("  SUCCESS: " + groups.stream().mapToInt(g -> g.rules().size()).sum() + " rules found");
        out.println();
        return Verdict.VALID;
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
