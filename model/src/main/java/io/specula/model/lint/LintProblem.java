package io.specula.model.lint;

import java.util.Objects;

/**
 * A finding of the {@link Linter}: the metric family it concerns and promlint's text for it.
 * {@link #toString()} is the line {@code promtool check metrics} prints. Ordered by metric
 * name, then text, comparing UTF-8 bytes as Go does.
 */
public record LintProblem(String metric, String text) implements Comparable<LintProblem> {

    public LintProblem {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public int compareTo(LintProblem o) {
        int c = compareUtf8(metric, o.metric);
        return c != 0 ? c : compareUtf8(text, o.text);
    }

    /** {@code metric text}, as promtool prints it. */
    @Override
    public String toString() {
        return metric + " " + text;
    }

    /** Code point order, which is the byte order of the UTF-8 encodings (unlike UTF-16 order). */
    static int compareUtf8(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
