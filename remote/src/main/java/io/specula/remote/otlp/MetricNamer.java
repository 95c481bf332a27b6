package io.specula.remote.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OTLP metric and attribute names to Prometheus names, following the OpenTelemetry
 * compatibility specification as Prometheus 3 applies it: with escaping, every character
 * outside {@code [a-zA-Z0-9:]} splits the name into words joined by one {@code _}; with
 * suffixes, the unit's Prometheus word ({@code s} → {@code seconds}, {@code By/s} →
 * {@code bytes_per_second}; units in braces are annotations and add nothing), {@code _total}
 * for monotonic cumulative sums and {@code _ratio} for gauges of unit {@code 1} are appended
 * unless already there. Stateless.
 */
final class MetricNamer {
    private MetricNamer() {}

    /** The kind of Prometheus metric a name is built for (the suffix rules depend on it). */
    enum Kind { COUNTER, GAUGE, HISTOGRAM, SUMMARY }

    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
            Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
            Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
            Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
            Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
            Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
            Map.entry("1", ""), Map.entry("%", "percent"));
    private static final Map<String, String> PER_UNITS = Map.of(
            "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

    static String metricName(String name, String unit, Kind kind, OtlpOptions.TranslationStrategy strategy) {
        if (!strategy.escape) {
            return strategy.suffixes ? withSuffixesUtf8(name, unit, kind) : name;
        }
        // Without suffixes only invalid characters split (runs of '_' stay); with them '_' splits too.
        List<String> words = strategy.suffixes ? words(name, false) : words(name, true);
        if (strategy.suffixes) {
            String[] u = unitWords(unit);
            String main = clean(u[0]);
            String per = clean(u[1]);
            if (!main.isEmpty() && !words.contains(main)) {
                words.add(main);
            }
            if (!per.isEmpty() && !words.contains(per)) {
                words.add("per");
                words.add(per);
            }
            if (kind == Kind.COUNTER) {
                words.removeIf("total"::equals);
                words.add("total");
            }
            if (unit.equals("1") && kind == Kind.GAUGE) {
                words.removeIf("ratio"::equals);
                words.add("ratio");
            }
        }
        String joined = String.join("_", words);
        return !joined.isEmpty() && Character.isDigit(joined.charAt(0)) ? "_" + joined : joined;
    }

    private static String withSuffixesUtf8(String name, String unit, Kind kind) {
        String[] u = unitWords(unit);
        StringBuilder b = new StringBuilder(name);
        if (!u[0].isEmpty() && !name.endsWith(u[0])) {
            b.append('_').append(u[0]);
        }
        if (!u[1].isEmpty() && !name.endsWith("per_" + u[1])) {
            b.append("_per_").append(u[1]);
        }
        if (kind == Kind.COUNTER && !b.toString().endsWith("_total")) {
            b.append("_total");
        }
        if (unit.equals("1") && kind == Kind.GAUGE && !b.toString().endsWith("_ratio")) {
            b.append("_ratio");
        }
        return b.toString();
    }

    /** The main and the per unit's Prometheus words ("" when none): {@code By/s} → {@code bytes}, {@code second}. */
    private static String[] unitWords(String unit) {
        String[] parts = unit.split("/", 2);
        String main = parts[0].strip();
        String mainWord = main.isEmpty() || main.contains("{") || main.contains("}") ? "" : UNITS.getOrDefault(main, main);
        String perWord = "";
        if (parts.length > 1) {
            String per = parts[1].strip();
            if (!per.isEmpty() && !per.contains("{") && !per.contains("}")) {
                perWord = PER_UNITS.getOrDefault(per, per);
            }
        }
        return new String[] {mainWord, perWord};
    }

    /** A unit word with every run of characters outside {@code [a-zA-Z0-9]} one {@code _}, no leading or trailing {@code _}. */
    private static String clean(String unit) {
        return String.join("_", words(unit, false));
    }

    /** The runs of {@code [a-zA-Z0-9:]} (with {@code _} when {@code keepUnderscore}) in {@code s}. */
    private static List<String> words(String s, boolean keepUnderscore) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= s.length(); i++) {
            boolean ok = i < s.length() && (metricChar(s.charAt(i)) || keepUnderscore && s.charAt(i) == '_');
            if (ok && start < 0) {
                start = i;
            } else if (!ok && start >= 0) {
                out.add(s.substring(start, i));
                start = -1;
            }
        }
        return out;
    }

    private static boolean metricChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':';
    }

    /**
     * An attribute name as a label name: with escaping, characters outside {@code [a-zA-Z0-9_]}
     * become {@code _}, a leading digit gets {@code key_} and a single leading {@code _} gets
     * {@code key} ({@code __reserved} names stay).
     */
    static String labelName(String name, OtlpOptions.TranslationStrategy strategy) {
        if (!strategy.escape || name.isEmpty()) {
            return name;
        }
        StringBuilder b = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (Character.isHighSurrogate(c) && i + 1 < name.length()) {
                i++; // one code point, one underscore
            }
            b.append(ok ? c : '_');
        }
        if (Character.isDigit(b.charAt(0))) {
            b.insert(0, "key_");
        } else if (b.charAt(0) == '_' && (b.length() < 2 || b.charAt(1) != '_')) {
            b.insert(0, "key");
        }
        return b.toString();
    }
}
