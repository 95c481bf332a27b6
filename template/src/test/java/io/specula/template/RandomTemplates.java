package io.specula.template;

import java.util.SplittableRandom;

/**
 * A seeded generator of mostly well-formed alert templates over Prometheus's functions and
 * Go's builtins, for differential tests: literals of every kind, $labels and $value, printf
 * with random verbs and arguments, comparisons that may mix kinds, pipelines and control
 * structures.
 */
final class RandomTemplates {
    private static final String[] INTS = {"0", "1", "-5", "42", "255", "1000", "0x1F", "'a'", "017"};
    private static final String[] FLOATS = {"0.5", "1e3", "1234567.0", "-0.25", "1e-7", "2.5", "99.995", "1e21", "0.1", "-0.0",
            "1e-300", "1.7976931348623157e308", "0.000123456", "123456.789", "-1e6", "0x1p-2", "1_000.5"};
    private static final String[] STRINGS = {"\"a\"", "\"host:9100\"", "\"hello wORLD\"", "\"\"", "\"<b>&'\"", "\"1234.5\"",
            "\"[::1]:80\"", "\"a.b.c:1\"", "`raw`", "\"x y\"", "\"é\"", "\"NaN\"", "\"-Inf\"", "\"infinity\"", "\"1_000\"",
            "\"0x1p-2\"", "\" 1\"", "\"1e400\"", "\"1h30m\"", "\"5m\"", "\"1d2h\"", "\"tab\\there\"", "\"2001:db8::1\""};
    private static final String[] VARS = {"$labels.instance", "$labels.job", "$labels.missing", "$value", ".Value",
            ".Labels.job", "$labels", ".Labels.__name__", "$externalLabels"};
    private static final String[] VERBS = {"%d", "%s", "%v", "%q", "%.2f", "%5.1f", "%e", "%g", "%x", "%08.3f", "%-6s", "%+d",
            "%t", "%T", "%%", "% d", "%.3g", "%X", "%o", "%c", "%U", "%6.2e", "%.0f", "%#v", "%10.4v", "%.1s", "%x",
            "%-8.3x", "%+.3e", "%#o", "%#q", "% x", "%5t", "%05d", "%.0s", "%#x", "%+q", "%-05d", "%.3x", "%08.2e", "%q"};
    private static final String[] UNARY = {"humanize", "humanize1024", "humanizeDuration", "humanizePercentage",
            "humanizeTimestamp", "title", "toUpper", "toLower", "stripPort", "stripDomain", "len", "not", "html", "js",
            "urlquery", "print", "println", "graphLink", "tableLink", "parseDuration"};
    private static final String[] COMPARE = {"eq", "ne", "lt", "le", "gt", "ge"};

    // toTime is left out: Prometheus returns *time.Time, whose type name and %t rendering differ from ours.

    /** The variables and one-argument functions a generator draws from. */
    record Vocabulary(String[] vars, String[] unary, String labels, String rangeFormat) {}

    static final Vocabulary PROMETHEUS = new Vocabulary(VARS, UNARY, "$labels",
            "{{ range $i, $e := (args %s %s 3) }}{{ if eq $i \"arg1\" }}{{ continue }}{{ end }}{{ $e }},{{ else }}none{{ end }}");

    static final Vocabulary ALERTMANAGER = new Vocabulary(new String[] {".Receiver", ".Status", ".ExternalURL",
        ".CommonLabels.commonlabelkey1", ".CommonLabels.missing", ".GroupLabels", "(index .Alerts 0).Labels.instance",
        ".CommonLabels.SortedPairs", ".CommonLabels.Names", "(len .Alerts)"},
            new String[] {"title", "toUpper", "toLower", "len", "not", "html", "js", "urlquery", "print", "println",
                "safeHtml"}, ".CommonLabels",
            "{{ range $i, $e := (stringSlice (print %s) (print %s) \"3\") }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $e }},{{ else }}none{{ end }}");

    private RandomTemplates() {}

    static String template(SplittableRandom r) {
        return template(r, PROMETHEUS);
    }

    static String template(SplittableRandom r, Vocabulary v) {
        Vocabulary saved = vocabulary;
        vocabulary = v;
        try {
            return generate(r);
        } finally {
            vocabulary = saved;
        }
    }

    /** Generation runs on one thread (tests); the vocabulary in use. */
    private static Vocabulary vocabulary = null;

    private static String generate(SplittableRandom r) {
        StringBuilder b = new StringBuilder();
        int parts = 1 + r.nextInt(3);
        for (int i = 0; i < parts; i++) {
            if (r.nextInt(3) == 0) {
                b.append(pick(r, new String[] {"x ", " - ", "[", "] ", "v="}));
            }
            switch (r.nextInt(12)) {
                case 8 -> b.append(String.format(vocabulary.rangeFormat(), arg(r, 1), arg(r, 1)));
                case 9 -> b.append("{{ define \"d").append(i).append("\" }}<{{ . }}|{{ $ }}>{{ end }}{{ template \"d").append(i)
                        .append("\" ").append(arg(r, 1)).append(" }}");
                case 10 -> b.append("{{ with $v := ").append(expr(r, 1)).append(" }}{{ $v }}{{ else }}empty{{ end }}\n  {{- ")
                        .append(expr(r, 1)).append(" -}}\n");
                case 11 -> b.append("{{ (print ").append(arg(r, 1)).append(") }}{{/* c */}}{{ ").append(pick(r, vocabulary.vars())).append(" }}");
                case 0 -> b.append("{{ if ").append(expr(r, 1)).append(" }}T{{ else }}F{{ end }}");
                case 1 -> b.append("{{ with ").append(expr(r, 1)).append(" }}<{{ . }}>{{ end }}");
                case 2 -> b.append("{{ range $k, $v := ").append(vocabulary.labels()).append(" }}{{ if ").append(expr(r, 1))
                        .append(" }}{{ $k }}{{ end }}{{ end }}");
                case 3 -> b.append("{{ $x := ").append(expr(r, 1)).append(" }}{{ $x }}");
                default -> b.append("{{ ").append(expr(r, 2)).append(" }}");
            }
        }
        return b.toString();
    }

    private static String expr(SplittableRandom r, int depth) {
        int k = depth <= 0 ? r.nextInt(4) : r.nextInt(12);
        return switch (k) {
            case 0 -> pick(r, INTS);
            case 1 -> pick(r, FLOATS);
            case 2 -> pick(r, STRINGS);
            case 3 -> pick(r, vocabulary.vars());
            case 4 -> {
                int n = r.nextInt(4);
                StringBuilder f = new StringBuilder("printf \"");
                for (int i = 0; i < n + r.nextInt(2); i++) {
                    f.append(pick(r, VERBS)).append(i % 2 == 0 ? "|" : "");
                }
                f.append('"');
                for (int i = 0; i < n; i++) {
                    f.append(' ').append(arg(r, depth - 1));
                }
                yield f.toString();
            }
            case 5 -> pick(r, COMPARE) + " " + arg(r, depth - 1) + " " + arg(r, depth - 1);
            case 6 -> pick(r, new String[] {"and", "or"}) + " " + arg(r, depth - 1) + " " + arg(r, depth - 1);
            case 7 -> pick(r, vocabulary.unary()) + " " + arg(r, depth - 1);
            case 8 -> arg(r, depth - 1) + " | " + pick(r, vocabulary.unary());
            case 9 -> pick(r, new String[] {"index " + vocabulary.labels() + " ", "len ", "slice ", "index "}) + arg(r, depth - 1)
                    + (r.nextBoolean() ? " " + pick(r, INTS) : "");
            case 10 -> "reReplaceAll " + pick(r, new String[] {"\"(.*):(\\\\d+)\"", "\"o\"", "\"^\"", "\"a*\""}) + " "
                    + pick(r, new String[] {"\"$2-$1\"", "\"0\"", "\"$$\"", "\"${1}x\""}) + " " + arg(r, depth - 1);
            default -> "match " + pick(r, new String[] {"\"^h\"", "\"[0-9]+\"", "\"node\""}) + " " + arg(r, depth - 1);
        };
    }

    private static String arg(SplittableRandom r, int depth) {
        String e = expr(r, depth);
        return e.indexOf(' ') >= 0 ? "(" + e + ")" : e;
    }

    private static String pick(SplittableRandom r, String[] options) {
        return options[r.nextInt(options.length)];
    }
}
