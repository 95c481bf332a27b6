package io.specula.model.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.lint.FamilyCollector;
import io.specula.model.lint.MetricFamily;
import io.specula.model.lint.MetricFamily.Sample;
import io.specula.model.textparse.MetricType;
import io.specula.model.textparse.OpenMetricsParser;
import io.specula.model.textparse.ParseException;
import io.specula.model.textparse.Parser;
import io.specula.model.textparse.PromTextParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.Exemplar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes seeded random families with each writer, parses the bytes back with the matching
 * parser and requires the same families: names, types, HELP, UNIT, sample names, labels,
 * values and timestamps. This ties the writers to the parsers a Prometheus-compatible scraper
 * (ours) uses, beyond the byte-level expectations of the writer tests.
 */
class ExpositionRoundTripTest {

    private static final String[] LABEL_VALUES = {
        "", "plain", "with space", "quote\"d", "back\\slash", "new\nline", "tab\there", "ünïcödé", "日本語", "emoji 😀",
        "trailing\\", "{braces},=", "# not a comment"
    };

    private static final double[] SPECIAL_VALUES = {
        0, 1, -1, 0.5, 1e21, 1e-7, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 123456, 1234567,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1 + 0.2, 9007199254740993.0
    };

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20261124})
    void prometheusText_roundTrips(long seed) throws IOException, ParseException {
        roundTrip(ExpositionFormat.PROMETHEUS_TEXT, seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20261124})
    void openMetrics_roundTrips(long seed) throws IOException, ParseException {
        roundTrip(ExpositionFormat.OPENMETRICS_TEXT, seed);
    }

    @Test
    void openMetrics_exemplarsRoundTrip() throws IOException, ParseException {
        Random rnd = new Random(7);
        ExpositionBuffer buf = new ExpositionBuffer();
        ExpositionWriter w = ExpositionFormat.OPENMETRICS_TEXT.newWriter(buf);
        List<Exemplar> written = new ArrayList<>();
        w.family("requests_total", MetricType.COUNTER, "Requests.", null);
        for (int i = 0; i < 200; i++) {
            Exemplar e = new Exemplar();
            e.labels = Labels.of("trace_id", Long.toHexString(rnd.nextLong()), "span", LABEL_VALUES[1 + rnd.nextInt(LABEL_VALUES.length - 1)]);
            e.value = value(rnd, false);
            e.hasTimestamp = rnd.nextBoolean();
            e.timestamp = e.hasTimestamp ? 1_600_000_000_000L + rnd.nextLong(400_000_000_000L) : 0;
            written.add(e);
            w.sample("requests_total", Labels.of("series", Integer.toString(i)), i, ExpositionWriter.NO_TIMESTAMP, e);
        }
        w.finish();

        Parser p = new OpenMetricsParser(buf.toByteArray());
        Exemplar got = new Exemplar();
        int i = 0;
        for (Entry e; (e = p.next()) != null; ) {
            if (e != Entry.SERIES) {
                continue;
            }
            Exemplar want = written.get(i++);
            assertThat(p.exemplar(got)).isTrue();
            assertThat(got.labels).isEqualTo(want.labels);
            assertThat(Double.isNaN(want.value) ? Double.isNaN(got.value) : got.value == want.value)
                    .as("exemplar value %s read as %s", want.value, got.value).isTrue();
            assertThat(got.hasTimestamp).isEqualTo(want.hasTimestamp);
            // The writer formats exemplar times as Go's does, float64(nanos) / 1e9, and parsers
            // truncate seconds * 1000 as Prometheus's does; together they can lose a millisecond,
            // exactly as a Go client scraped by Prometheus does. Sample timestamps (millis / 1000.0)
            // come back exact, see the family round trips.
            assertThat(got.timestamp).as("exemplar time %s", want.timestamp).isBetween(want.timestamp - 1, want.timestamp);
        }
        assertThat(i).isEqualTo(written.size());
    }

    private static void roundTrip(ExpositionFormat format, long seed) throws IOException, ParseException {
        boolean om = format == ExpositionFormat.OPENMETRICS_TEXT;
        List<MetricFamily> written = randomFamilies(new Random(seed), om);
        ExpositionBuffer buf = new ExpositionBuffer();
        ExpositionWriter w = format.newWriter(buf);
        for (MetricFamily f : written) {
            w.family(f.name(), f.type(), f.help(), f.unit());
            for (Sample s : f.samples()) {
                String bound = boundLabel(f.type(), s);
                if (bound != null) {
                    Labels rest = s.labels().toBuilder().delete(bound).build();
                    w.sample(s.name(), rest, bound, goFloat(s.labels().get(bound)), s.value(),
                            s.timestampMillis(), null);
                } else {
                    w.sample(s.name(), s.labels(), s.value(), s.timestampMillis(), null);
                }
            }
        }
        w.finish();

        byte[] body = buf.toByteArray();
        Parser p = om ? new OpenMetricsParser(body) : new PromTextParser(body);
        List<MetricFamily> read = FamilyCollector.collect(p, format);

        assertThat(read).hasSameSizeAs(written);
        for (int i = 0; i < written.size(); i++) {
            MetricFamily want = written.get(i), got = read.get(i);
            String where = format + " family " + want.name() + " in\n" + buf;
            assertThat(got.name()).as(where).isEqualTo(want.name());
            assertThat(got.type()).as(where).isEqualTo(want.type());
            assertThat(got.help()).as(where).isEqualTo(want.help());
            if (om) {
                assertThat(got.unit()).as(where).isEqualTo(want.unit());
            }
            assertThat(got.samples()).as(where).hasSameSizeAs(want.samples());
            for (int j = 0; j < want.samples().size(); j++) {
                assertSameSample(got.samples().get(j), want.samples().get(j), want.type(), where);
            }
        }
    }

    private static void assertSameSample(Sample got, Sample want, MetricType type, String where) {
        assertThat(got.name()).as(where).isEqualTo(want.name());
        String bound = boundLabel(type, want);
        if (bound == null) {
            assertThat(got.labels()).as(where).isEqualTo(want.labels());
        } else {
            // Parsers normalize le/quantile values (le="1" reads as "1.0"), as Prometheus 3 does.
            assertThat(got.labels().toBuilder().delete(bound).build()).as(where)
                    .isEqualTo(want.labels().toBuilder().delete(bound).build());
            assertThat(goFloat(got.labels().get(bound))).as(where)
                    .isEqualTo(goFloat(want.labels().get(bound)));
        }
        if (Double.isNaN(want.value())) {
            assertThat(got.value()).as(where).isNaN();
        } else {
            // == rather than equals: both writers write -0 as 0, as Prometheus's Go writer does.
            assertThat(got.value() == want.value()).as(where + "\n%s: got %s, want %s", want, got.value(), want.value()).isTrue();
        }
        assertThat(got.timestampMillis()).as(where).isEqualTo(want.timestampMillis());
    }

    /** Reads a float as Go writes it ({@code +Inf}, {@code -Inf}, {@code NaN} included). */
    private static double goFloat(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static String boundLabel(MetricType type, Sample s) {
        return switch (type) {
            case HISTOGRAM, GAUGE_HISTOGRAM -> s.name().endsWith("_bucket") ? "le" : null;
            case SUMMARY -> s.labels().has("quantile") ? "quantile" : null;
            default -> null;
        };
    }

    // ---- random families: what a /metrics or /federate handler would write ----

    private static List<MetricFamily> randomFamilies(Random rnd, boolean om) {
        List<MetricFamily> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            MetricType[] types = om ? MetricType.values()
                    : new MetricType[] {MetricType.COUNTER, MetricType.GAUGE, MetricType.HISTOGRAM, MetricType.SUMMARY, MetricType.UNKNOWN};
            MetricType type = types[rnd.nextInt(types.length)];
            String base = "family_" + i;
            if (!om && rnd.nextInt(8) == 0) {
                base = "family.with.dots_" + i; // Prometheus 3's quoted names (the OpenMetrics 1.0 grammar has none)
            }
            boolean unitAllowed = type != MetricType.INFO && type != MetricType.STATESET;
            String unit = om && unitAllowed && rnd.nextBoolean() ? "seconds" : null;
            if (unit != null) {
                base = base + "_" + unit;
            }
            String name = switch (type) {
                case COUNTER -> base + "_total";
                case INFO -> base + "_info";
                default -> base;
            };
            String help = rnd.nextInt(5) == 0 ? null : "Help of " + name + " with \\ and \" and " + LABEL_VALUES[rnd.nextInt(LABEL_VALUES.length)];
            // OpenMetrics wants a timestamp on all samples of a label set or none; keep it per family.
            boolean timestamps = rnd.nextBoolean();
            List<Sample> samples = new ArrayList<>();
            int series = 1 + rnd.nextInt(4);
            for (int k = 0; k < series; k++) {
                Labels labels = randomLabels(rnd, k);
                long ts = timestamps ? 1_600_000_000_000L + rnd.nextLong(400_000_000_000L) : Sample.NO_TIMESTAMP;
                addSamples(samples, type, base, name, labels, rnd, ts, om);
            }
            out.add(new MetricFamily(name, type, help, unit, samples));
        }
        return out;
    }

    private static Labels randomLabels(Random rnd, int series) {
        LabelsBuilder b = new LabelsBuilder().set("series", Integer.toString(series));
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            String value = LABEL_VALUES[rnd.nextInt(LABEL_VALUES.length)];
            b.set(rnd.nextInt(6) == 0 ? "label.dotted" + i : "label_" + i, value.isEmpty() ? "x" : value);
        }
        return b.build();
    }

    private static double value(Random rnd, boolean nonNegative) {
        double v = switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(1000);
            case 1 -> SPECIAL_VALUES[rnd.nextInt(SPECIAL_VALUES.length)];
            case 2 -> Double.longBitsToDouble(rnd.nextLong());
            default -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20);
        };
        if (nonNegative && (Double.isNaN(v) || v < 0)) {
            return rnd.nextInt(1000);
        }
        return v;
    }

    private static void addSamples(List<Sample> out, MetricType type, String base, String name, Labels labels, Random rnd,
            long ts, boolean om) {
        switch (type) {
            case COUNTER, GAUGE, UNKNOWN -> out.add(new Sample(name, labels, value(rnd, type == MetricType.COUNTER && om), ts));
            case INFO -> out.add(new Sample(name, labels, 1, ts));
            case STATESET -> {
                out.add(new Sample(name, labels.toBuilder().set(base, "on").build(), 1, ts));
                out.add(new Sample(name, labels.toBuilder().set(base, "off").build(), 0, ts));
            }
            case HISTOGRAM, GAUGE_HISTOGRAM -> {
                long count = 0;
                for (double le : new double[] {0.005, 0.5, 1, 10, 1e6, Double.POSITIVE_INFINITY}) {
                    count += rnd.nextInt(100);
                    out.add(new Sample(base + "_bucket", labels.toBuilder().set("le", GoFloat.format(le)).build(), count, ts));
                }
                boolean gauge = type == MetricType.GAUGE_HISTOGRAM;
                out.add(new Sample(base + (gauge ? "_gcount" : "_count"), labels, count, ts));
                out.add(new Sample(base + (gauge ? "_gsum" : "_sum"), labels, rnd.nextDouble() * 1000, ts));
            }
            case SUMMARY -> {
                for (double q : new double[] {0, 0.5, 0.99, 1}) {
                    out.add(new Sample(base, labels.toBuilder().set("quantile", GoFloat.format(q)).build(), value(rnd, true), ts));
                }
                out.add(new Sample(base + "_sum", labels, rnd.nextDouble() * 1000, ts));
                out.add(new Sample(base + "_count", labels, rnd.nextInt(100000), ts));
            }
        }
    }
}
