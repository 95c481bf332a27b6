package io.specula.model.lint;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The metric-naming rules of Prometheus's promlint, as {@code promtool check metrics}
 * (Prometheus 2.42) reports them, with the same texts:
 *
 * <ul>
 *   <li>{@code no help text} – the family has no HELP line;
 *   <li>{@code use base unit "seconds" instead of "milliseconds"} – a name word is a known
 *       unit with an SI prefix or a non-base unit (minutes, bits, inches, …);
 *   <li>{@code counter metrics should have "_total" suffix} and
 *       {@code non-counter metrics should not have "_total" suffix} (untyped families exempt);
 *   <li>{@code non-histogram metrics should not have "_bucket" suffix}, {@code non-histogram
 *       and non-summary metrics should not have "_count" suffix} / {@code "_sum" suffix},
 *       {@code non-histogram metrics should not have "le" label}, {@code non-summary metrics
 *       should not have "quantile" label} (untyped families exempt);
 *   <li>{@code metric name should not include type 'counter'} (also gauge, summary,
 *       histogram, gauge_histogram);
 *   <li>{@code metric names should not contain ':'};
 *   <li>{@code metric names should be written in 'snake_case' not 'camelCase'} and the same
 *       for label names;
 *   <li>{@code metric names should not contain abbreviated units} (s, ms, us, ns, sec, b, kb,
 *       mb, gb, tb, pb, m, h, d).
 * </ul>
 *
 * <p>Label rules are checked once per metric as Prometheus's text parser groups them: every
 * sample line of a counter, gauge or untyped family is a metric of its own, while the lines of
 * a histogram or summary that differ only in {@code le}/{@code quantile} form one. A problem
 * is reported as often as it occurs, as promlint does. Families without samples are skipped
 * (the Go parser drops them before linting).
 *
 * <p>One deliberate difference: for a name holding both a base and a non-base unit word
 * ({@code foo_seconds_per_kilobyte}), promlint's answer depends on Go's random map order; this
 * linter always reports the first non-base unit.
 *
 * <p>Stateless and thread-safe.
 */
public final class Linter {
    private Linter() {}

    /** Base unit of each unit word promlint knows; a word that is its own base is fine. */
    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("amperes", "amperes"),
            Map.entry("bytes", "bytes"),
            Map.entry("celsius", "celsius"),
            Map.entry("grams", "grams"),
            Map.entry("joules", "joules"),
            Map.entry("kelvin", "kelvin"),
            Map.entry("meters", "meters"),
            Map.entry("metres", "metres"),
            Map.entry("seconds", "seconds"),
            Map.entry("volts", "volts"),
            Map.entry("minutes", "seconds"),
            Map.entry("hours", "seconds"),
            Map.entry("days", "seconds"),
            Map.entry("weeks", "seconds"),
            Map.entry("kelvins", "kelvin"),
            Map.entry("fahrenheit", "celsius"),
            Map.entry("rankine", "celsius"),
            Map.entry("inches", "meters"),
            Map.entry("yards", "meters"),
            Map.entry("miles", "meters"),
            Map.entry("bits", "bytes"),
            Map.entry("calories", "joules"),
            Map.entry("pounds", "grams"),
            Map.entry("ounces", "grams"));

    private static final List<String> UNIT_PREFIXES = List.of(
            "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi",
            "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi");

    private static final List<String> UNIT_ABBREVIATIONS = List.of(
            "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d");

    /** The type words a name must not contain: the protobuf type names except untyped, lower-cased. */
    private static final List<String> TYPE_WORDS = List.of("counter", "gauge", "summary", "histogram", "gauge_histogram");

    /** All problems of {@code families}, sorted by metric name, then text. */
    public static List<LintProblem> lint(Collection<MetricFamily> families) {
        List<LintProblem> problems = new ArrayList<>();
        for (MetricFamily f : families) {
            if (!f.samples().isEmpty()) {
                lint(f, problems);
            }
        }
        problems.sort(null); // stable, like Go's sort.SliceStable
        return problems;
    }

    private static void lint(MetricFamily f, List<LintProblem> out) {
        // Same order as promlint; only the final sort decides what the user sees.
        List<Labels> metrics = metricLabelSets(f);
        lintHelp(f, out);
        lintMetricUnits(f, out);
        lintCounter(f, out);
        lintHistogramSummaryReserved(f, metrics, out);
        lintMetricTypeInName(f, out);
        lintReservedChars(f, out);
        lintCamelCase(f, metrics, out);
        lintUnitAbbreviations(f, out);
    }

    private static void problem(MetricFamily f, String text, List<LintProblem> out) {
        out.add(new LintProblem(f.name(), text));
    }

    private static void lintHelp(MetricFamily f, List<LintProblem> out) {
        if (f.help() == null) {
            problem(f, "no help text", out);
        }
    }

    private static void lintMetricUnits(MetricFamily f, List<LintProblem> out) {
        for (String word : f.name().split("_", -1)) {
            String base = baseUnit(word);
            if (base != null && !base.equals(word)) {
                problem(f, "use base unit \"" + base + "\" instead of \"" + word + "\"", out);
                return;
            }
        }
    }

    /** The base unit if {@code word} is a known unit with or without a known prefix, else null. */
    private static String baseUnit(String word) {
        String base = UNITS.get(word);
        if (base != null) {
            return base;
        }
        for (String p : UNIT_PREFIXES) {
            if (word.length() > p.length() && word.startsWith(p)) {
                base = UNITS.get(word.substring(p.length()));
                if (base != null) {
                    return base;
                }
            }
        }
        return null;
    }

    private static void lintCounter(MetricFamily f, List<LintProblem> out) {
        boolean counter = f.type() == MetricType.COUNTER;
        boolean untyped = f.type() == MetricType.UNKNOWN;
        boolean total = f.name().endsWith("_total");
        if (counter && !total) {
            problem(f, "counter metrics should have \"_total\" suffix", out);
        } else if (!untyped && !counter && total) {
            problem(f, "non-counter metrics should not have \"_total\" suffix", out);
        }
    }

    private static void lintHistogramSummaryReserved(MetricFamily f, List<Labels> metrics, List<LintProblem> out) {
        MetricType t = f.type();
        if (t == MetricType.UNKNOWN) {
            return;
        }
        boolean histogram = t == MetricType.HISTOGRAM;
        boolean summary = t == MetricType.SUMMARY;
        String n = f.name();
        if (!histogram && n.endsWith("_bucket")) {
            problem(f, "non-histogram metrics should not have \"_bucket\" suffix", out);
        }
        if (!histogram && !summary && n.endsWith("_count")) {
            problem(f, "non-histogram and non-summary metrics should not have \"_count\" suffix", out);
        }
        if (!histogram && !summary && n.endsWith("_sum")) {
            problem(f, "non-histogram and non-summary metrics should not have \"_sum\" suffix", out);
        }
        for (Labels m : metrics) {
            for (int i = 0; i < m.size(); i++) {
                String ln = m.name(i);
                if (!histogram && ln.equals("le")) {
                    problem(f, "non-histogram metrics should not have \"le\" label", out);
                }
                if (!summary && ln.equals("quantile")) {
                    problem(f, "non-summary metrics should not have \"quantile\" label", out);
                }
            }
        }
    }

    private static void lintMetricTypeInName(MetricFamily f, List<LintProblem> out) {
        String n = f.name().toLowerCase(Locale.ROOT);
        for (String t : TYPE_WORDS) {
            if (containsWord(n, t)) {
                problem(f, "metric name should not include type '" + t + "'", out);
            }
        }
    }

    private static void lintReservedChars(MetricFamily f, List<LintProblem> out) {
        if (f.name().indexOf(':') >= 0) {
            problem(f, "metric names should not contain ':'", out);
        }
    }

    private static void lintCamelCase(MetricFamily f, List<Labels> metrics, List<LintProblem> out) {
        if (isCamelCase(f.name())) {
            problem(f, "metric names should be written in 'snake_case' not 'camelCase'", out);
        }
        for (Labels m : metrics) {
            for (int i = 0; i < m.size(); i++) {
                if (isCamelCase(m.name(i))) {
                    problem(f, "label names should be written in 'snake_case' not 'camelCase'", out);
                }
            }
        }
    }

    private static void lintUnitAbbreviations(MetricFamily f, List<LintProblem> out) {
        String n = f.name().toLowerCase(Locale.ROOT);
        for (String s : UNIT_ABBREVIATIONS) {
            if (containsWord(n, s)) {
                problem(f, "metric names should not contain abbreviated units", out);
            }
        }
    }

    /** {@code _word_} inside the name or {@code _word} at its end. */
    private static boolean containsWord(String name, String word) {
        return name.contains("_" + word + "_") || name.endsWith("_" + word);
    }

    /** A lower-case ASCII letter directly followed by an upper-case one. */
    private static boolean isCamelCase(String s) {
        for (int i = 1; i < s.length(); i++) {
            char a = s.charAt(i - 1), b = s.charAt(i);
            if (a >= 'a' && a <= 'z' && b >= 'A' && b <= 'Z') {
                return true;
            }
        }
        return false;
    }

    /**
     * The label sets of the family's metrics as Prometheus's text parser builds them: one per
     * sample line, except that histogram (and gauge histogram) lines differing only in
     * {@code le} and summary lines differing only in {@code quantile} are one metric, whose
     * labels exclude that label.
     */
    private static List<Labels> metricLabelSets(MetricFamily f) {
        String structural = switch (f.type()) {
            case HISTOGRAM, GAUGE_HISTOGRAM -> "le";
            case SUMMARY -> "quantile";
            default -> null;
        };
        if (structural == null) {
            List<Labels> all = new ArrayList<>(f.samples().size());
            for (MetricFamily.Sample s : f.samples()) {
                all.add(s.labels().withoutMetricName());
            }
            return all;
        }
        Set<Labels> distinct = new LinkedHashSet<>();
        for (MetricFamily.Sample s : f.samples()) {
            Labels l = s.labels().withoutMetricName();
            if (l.has(structural)) {
                l = l.toBuilder().delete(structural).build();
            }
            distinct.add(l);
        }
        return new ArrayList<>(distinct);
    }
}
