package io.specula.model.lint;

import io.specula.model.exposition.ExpositionFormat;
import io.specula.model.labels.LabelNames;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.MetricType;
import io.specula.model.textparse.ParseException;
import io.specula.model.textparse.Parser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole exposition body from a {@link Parser} into {@link MetricFamily families}, the
 * way Prometheus's tools see it.
 *
 * <p>Prometheus text format: grouped as Go's {@code expfmt} text parser (the one promtool
 * lints with) groups. A HELP, TYPE or sample line belongs to the family of its exact name;
 * failing that, {@code x_count}/{@code x_sum} join a summary {@code x}, and
 * {@code x_bucket}/{@code x_count}/{@code x_sum} a histogram {@code x}; anything else starts
 * a family of its own, untyped unless a TYPE line came first. Lines of one family need not
 * be adjacent. As in Go, a second HELP for a family, and a TYPE line for a family that
 * already has a type or samples, are errors.
 *
 * <p>OpenMetrics: a sample belongs to the family declared just before it when its name is
 * the family name plus a suffix the family's type allows ({@code _total}, {@code _bucket},
 * {@code _gcount}, {@code _info}, …). Families are then named as in Prometheus's data model:
 * a counter {@code x} becomes {@code x_total}, an info {@code x} becomes {@code x_info}.
 * {@code _created} samples carry a creation time, not a value, and are left out.
 *
 * <p>In both formats families without samples are dropped, as Go's parser drops them.
 * Stateless and thread-safe; the parser is consumed.
 */
public final class FamilyCollector {
    private FamilyCollector() {}

    /**
     * Reads {@code parser} to its end.
     *
     * @param format how samples are grouped into families (see the class comment)
     * @throws ParseException what the parser throws, or a duplicate HELP/TYPE line
     */
    public static List<MetricFamily> collect(Parser parser, ExpositionFormat format) throws ParseException {
        return switch (format) {
            case PROMETHEUS_TEXT -> new TextGrouping().run(parser);
            case OPENMETRICS_TEXT -> new OpenMetricsGrouping().run(parser);
        };
    }

    /** A family under construction. */
    private static final class Builder {
        String name;
        MetricType type = MetricType.UNKNOWN;
        boolean typed;
        String help;
        String unit;
        final List<MetricFamily.Sample> samples = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        MetricFamily build() {
            return new MetricFamily(name, type, help, unit, samples);
        }
    }

    private static MetricFamily.Sample sample(Parser p, LabelsBuilder lb) {
        p.labels(lb);
        Labels all = lb.build();
        return new MetricFamily.Sample(all.metricName(), all.withoutMetricName(), p.value(),
                p.hasTimestamp() ? p.timestamp() : MetricFamily.Sample.NO_TIMESTAMP);
    }

    private static List<MetricFamily> nonEmpty(Iterable<Builder> builders) {
        List<MetricFamily> out = new ArrayList<>();
        for (Builder b : builders) {
            if (!b.samples.isEmpty()) {
                out.add(b.build());
            }
        }
        return out;
    }

    private static final class TextGrouping {
        private final Map<String, Builder> byName = new LinkedHashMap<>();

        List<MetricFamily> run(Parser p) throws ParseException {
            LabelsBuilder lb = new LabelsBuilder();
            for (Entry e; (e = p.next()) != null; ) {
                switch (e) {
                    case HELP -> {
                        Builder b = family(p.metricFamily());
                        if (b.help != null) {
                            throw new ParseException(p.line(), 1, "second HELP line for metric name " + quote(b.name));
                        }
                        b.help = p.text();
                    }
                    case TYPE -> {
                        Builder b = family(p.metricFamily());
                        if (b.typed) {
                            throw new ParseException(p.line(), 1,
                                    "second TYPE line for metric name " + quote(b.name) + ", or TYPE reported after samples");
                        }
                        b.type = p.type();
                        b.typed = true;
                    }
                    case UNIT -> family(p.metricFamily()).unit = p.text();
                    case SERIES -> {
                        MetricFamily.Sample s = sample(p, lb);
                        Builder b = family(s.name());
                        b.typed = true; // a later TYPE line is an error, as in Go
                        b.samples.add(s);
                    }
                    case COMMENT -> {}
                }
            }
            return nonEmpty(byName.values());
        }

        /** The family {@code name} belongs to, created if needed (Go's setOrCreateCurrentMF). */
        private Builder family(String name) {
            Builder b = byName.get(name);
            if (b != null) {
                return b;
            }
            String stem = stripSuffix(name, false);
            if (stem != null && (b = byName.get(stem)) != null && b.type == MetricType.SUMMARY) {
                return b;
            }
            stem = stripSuffix(name, true);
            if (stem != null && (b = byName.get(stem)) != null && b.type == MetricType.HISTOGRAM) {
                return b;
            }
            b = new Builder(name);
            byName.put(name, b);
            return b;
        }

        /** {@code name} without {@code _count}/{@code _sum} (and {@code _bucket} for histograms), or null. */
        private static String stripSuffix(String name, boolean histogram) {
            for (String suffix : histogram ? new String[] {"_count", "_sum", "_bucket"} : new String[] {"_count", "_sum"}) {
                if (name.length() > suffix.length() && name.endsWith(suffix)) {
                    return name.substring(0, name.length() - suffix.length());
                }
            }
            return null;
        }
    }

    private static final class OpenMetricsGrouping {
        private final Map<String, Builder> byName = new LinkedHashMap<>();
        private Builder current;

        List<MetricFamily> run(Parser p) throws ParseException {
            LabelsBuilder lb = new LabelsBuilder();
            for (Entry e; (e = p.next()) != null; ) {
                switch (e) {
                    case HELP -> declared(p.metricFamily()).help = p.text();
                    case TYPE -> {
                        Builder b = declared(p.metricFamily());
                        b.type = p.type();
                        b.typed = true;
                    }
                    case UNIT -> declared(p.metricFamily()).unit = p.text();
                    case SERIES -> {
                        MetricFamily.Sample s = sample(p, lb);
                        String suffix = current == null ? null : suffixOf(current, s.name());
                        if (suffix == null) {
                            current = byName.computeIfAbsent(s.name(), Builder::new);
                            suffix = "";
                        }
                        if (!suffix.equals("_created")) {
                            current.samples.add(s);
                        }
                    }
                    case COMMENT -> {}
                }
            }
            for (Builder b : byName.values()) {
                if (b.type == MetricType.COUNTER) {
                    b.name = b.name + "_total";
                } else if (b.type == MetricType.INFO) {
                    b.name = b.name + "_info";
                }
            }
            return nonEmpty(byName.values());
        }

        private Builder declared(String name) {
            if (current == null || !current.name.equals(name)) {
                current = byName.computeIfAbsent(name, Builder::new);
            }
            return current;
        }

        /** The suffix that makes {@code sample} a sample of {@code b}, or null if it is not one. */
        private static String suffixOf(Builder b, String sample) {
            if (!sample.startsWith(b.name)) {
                return null;
            }
            String suffix = sample.substring(b.name.length());
            List<String> allowed = switch (b.type) {
                case COUNTER -> List.of("_total", "_created");
                case HISTOGRAM -> List.of("_bucket", "_count", "_sum", "_created");
                case GAUGE_HISTOGRAM -> List.of("_bucket", "_gcount", "_gsum");
                case SUMMARY -> List.of("", "_count", "_sum", "_created");
                case INFO -> List.of("_info");
                case GAUGE, STATESET, UNKNOWN -> List.of("");
            };
            return allowed.contains(suffix) ? suffix : null;
        }
    }

    private static String quote(String s) {
        return LabelNames.appendQuoted(new StringBuilder(s.length() + 2), s).toString();
    }
}
