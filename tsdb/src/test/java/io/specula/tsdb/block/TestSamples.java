package io.specula.tsdb.block;

import io.specula.model.labels.Labels;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Sample sets for block tests: series → "t=bits" strings, comparable with AssertJ. */
final class TestSamples {
    private TestSamples() {}

    /** Random series in [mint, mint + span), regular and irregular, with special values. */
    static Map<Labels, List<String>> generate(Random rnd, int series, long mint, long span) {
        Map<Labels, List<String>> out = new TreeMap<>();
        for (int s = 0; s < series; s++) {
            Labels labels = Labels.of("__name__", "m" + (s % 3), "instance", "i" + s, "job", s % 2 == 0 ? "a" : "é");
            List<String> samples = new ArrayList<>();
            long step = 1 + rnd.nextInt(60_000);
            double v = rnd.nextInt(1000);
            for (long t = mint + rnd.nextInt(1000); t < mint + span; t += step + (rnd.nextBoolean() ? 0 : rnd.nextInt(100))) {
                v = switch (rnd.nextInt(10)) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.longBitsToDouble(0x7FF0000000000002L); // Prometheus's stale marker
                    case 2 -> rnd.nextGaussian() * 1e10;
                    default -> v + rnd.nextInt(10);
                };
                samples.add(sample(t, v));
            }
            out.put(labels, samples);
        }
        return out;
    }

    static String sample(long t, double v) {
        return t + "=" + Long.toHexString(Double.doubleToRawLongBits(v));
    }

    static long time(String sample) {
        return Long.parseLong(sample.substring(0, sample.indexOf('=')));
    }

    static double value(String sample) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(sample.substring(sample.indexOf('=') + 1), 16));
    }

    static Head head(Map<Labels, List<String>> data) throws Exception {
        Head head = new Head(Long.MAX_VALUE / 4, null);
        Appender app = head.appender();
        for (var e : data.entrySet()) {
            for (String s : e.getValue()) {
                app.append(0, e.getKey(), time(s), value(s));
            }
        }
        app.commit();
        return head;
    }

    /** Everything a select returns, checking order and errors. */
    static Map<Labels, List<String>> collect(SeriesSet set) {
        Map<Labels, List<String>> out = new TreeMap<>();
        Labels last = null;
        SampleIterator it = null;
        while (set.next()) {
            Labels l = set.at().labels();
            if (last != null && l.compareTo(last) <= 0) {
                throw new AssertionError("series out of order: " + l + " after " + last);
            }
            last = l;
            List<String> samples = new ArrayList<>();
            it = set.at().iterator(it);
            while (it.next() == ValueType.FLOAT) {
                samples.add(sample(it.atT(), it.atV()));
            }
            if (it.err() != null) {
                throw new AssertionError("iterator of " + l, it.err());
            }
            out.put(l, samples);
        }
        if (set.err() != null) {
            throw new AssertionError("series set", set.err());
        }
        return out;
    }

    static Map<Labels, List<String>> all(Querier q) {
        return collect(q.select(true, null));
    }

    /** {@code data} restricted to [mint, maxt), series left empty dropped. */
    static Map<Labels, List<String>> range(Map<Labels, List<String>> data, long mint, long maxtExclusive) {
        Map<Labels, List<String>> out = new TreeMap<>();
        data.forEach((l, s) -> {
            List<String> kept = s.stream().filter(x -> time(x) >= mint && time(x) < maxtExclusive).toList();
            if (!kept.isEmpty()) {
                out.put(l, kept);
            }
        });
        return out;
    }

    static long count(Map<Labels, List<String>> data) {
        return data.values().stream().mapToLong(List::size).sum();
    }
}
