package io.specula.tsdb.index;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/** Seeded random series sets and a writer for them, shared by the index tests. */
final class TestIndex {
    record Series(Labels labels, long[] refs, long[] mint, long[] maxt) {
        ChunkMetas chunks() {
            ChunkMetas c = new ChunkMetas();
            for (int i = 0; i < refs.length; i++) {
                c.add(refs[i], mint[i], maxt[i]);
            }
            return c;
        }
    }

    /** Label values drawn from a small pool so that postings have several entries, plus odd text. */
    static final String[] ODD_VALUES = {"ä", "é", "\uD83D\uDE00", "\uFF5E", "a b", "x=\"y\"", "\n", "Z", "a", "aa", "ab"};

    private TestIndex() {}

    /** {@code n} distinct random series, sorted in index order, with 0 to 3 chunks and increasing chunk refs. */
    static List<Series> randomSeries(long seed, int n) {
        return randomSeries(seed, n, 0);
    }

    /** As {@link #randomSeries(long, int)}, with at least {@code minChunks} chunks per series. */
    static List<Series> randomSeries(long seed, int n, int minChunks) {
        Random rnd = new Random(seed);
        String[] names = {"__name__", "a", "b", "c", "instance", "job", "le", "zone", "\u00fcber"};
        TreeSet<Labels> sets = new TreeSet<>(Utf8Order.LABELS);
        LabelsBuilder b = new LabelsBuilder();
        while (sets.size() < n) {
            b.reset();
            b.set("__name__", "metric_" + rnd.nextInt(20));
            for (int i = 1; i < names.length; i++) {
                if (rnd.nextInt(3) > 0) {
                    b.set(names[i], value(rnd, i));
                }
            }
            sets.add(b.build());
        }
        List<Series> out = new ArrayList<>(n);
        long ref = 8;
        for (Labels l : sets) {
            int k = minChunks + rnd.nextInt(4 - minChunks);
            long[] refs = new long[k], mint = new long[k], maxt = new long[k];
            long t = rnd.nextLong(-1_000_000, 2_000_000_000_000L);
            for (int i = 0; i < k; i++) {
                mint[i] = t;
                maxt[i] = t + rnd.nextInt(7_200_000);
                t = maxt[i] + 1 + rnd.nextInt(100_000);
                refs[i] = ref;
                ref += 1 + rnd.nextInt(1000);
                if (rnd.nextInt(50) == 0) {
                    ref += 1L << 32; // next segment file
                }
            }
            out.add(new Series(l, refs, mint, maxt));
        }
        return out;
    }

    private static String value(Random rnd, int nameIndex) {
        return switch (rnd.nextInt(6)) {
            case 0 -> ODD_VALUES[rnd.nextInt(ODD_VALUES.length)];
            case 1 -> "v" + rnd.nextInt(1000); // many distinct values
            default -> "v" + (nameIndex * 7 + rnd.nextInt(5));
        };
    }

    /** All label names and values of {@code series}, sorted and deduplicated. */
    static TreeSet<String> symbols(List<Series> series) {
        TreeSet<String> symbols = new TreeSet<>(Utf8Order.STRINGS);
        for (Series s : series) {
            for (int i = 0; i < s.labels().size(); i++) {
                symbols.add(s.labels().name(i));
                symbols.add(s.labels().value(i));
            }
        }
        return symbols;
    }

    /** Writes {@code series} as an index at {@code file}; returns the series references. */
    static long[] write(Path file, List<Series> series) throws IOException {
        return write(file, series, true);
    }

    /** As {@link #write(Path, List)}, with or without label indices (Prometheus 3.6+ layout). */
    static long[] write(Path file, List<Series> series, boolean labelIndices) throws IOException {
        long[] refs = new long[series.size()];
        try (IndexWriter w = IndexWriter.create(file, labelIndices)) {
            for (String s : symbols(series)) {
                w.addSymbol(s);
            }
            for (int i = 0; i < series.size(); i++) {
                refs[i] = w.addSeries(series.get(i).labels(), series.get(i).chunks());
            }
        }
        return refs;
    }
}
