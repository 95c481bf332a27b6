package io.specula.benchmarks.tsdb;

import io.specula.tsdb.record.SamplesRecord;
import java.util.Random;

/**
 * Samples records shaped like one scrape of a node-exporter-like target: every sample has the
 * scrape's timestamp, series references form a contiguous block (the order the head assigned
 * them), and values are a mix of growing float counters, small integer gauges and 0/1 flags.
 */
final class ScrapeSamples {
    private ScrapeSamples() {
    }

    /** {@code scrapes} records of {@code n} samples each, 15 s apart. */
    static SamplesRecord[] records(int scrapes, int n, long seed) {
        Random rnd = new Random(seed);
        double[] counters = new double[n];
        for (int i = 0; i < n; i++) {
            counters[i] = rnd.nextInt(1_000_000) + rnd.nextDouble();
        }
        long t0 = 1_700_000_000_000L;
        SamplesRecord[] out = new SamplesRecord[scrapes];
        for (int s = 0; s < scrapes; s++) {
            SamplesRecord r = new SamplesRecord(n);
            long t = t0 + s * 15_000L;
            for (int i = 0; i < n; i++) {
                double v = switch (i % 10) {
                    case 0, 1, 2, 3, 4 -> counters[i] += rnd.nextInt(5000) * 0.01;
                    case 5, 6, 7 -> rnd.nextInt(100);
                    default -> rnd.nextInt(2);
                };
                r.add(10_000 + i, t, v);
            }
            out[s] = r;
        }
        return out;
    }
}
