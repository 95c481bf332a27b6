package io.specula.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesHandle;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HeadTest {
    private static final Matcher ALL = Matcher.of(MatchType.REGEX, "__name__", ".+");

    /** Everything a querier returns, as labels → list of {t, bits(v)}. */
    static Map<Labels, List<long[]>> dump(Querier q, Matcher... matchers) {
        Map<Labels, List<long[]>> out = new LinkedHashMap<>();
        SeriesSet set = q.select(true, null, matchers);
        SampleIterator reuse = null;
        while (set.next()) {
            List<long[]> samples = new ArrayList<>();
            SampleIterator it = set.at().iterator(reuse);
            while (it.next() == ValueType.FLOAT) {
                samples.add(new long[] {it.atT(), Double.doubleToRawLongBits(it.atV())});
            }
            assertThat(it.err()).isNull();
            out.put(set.at().labels(), samples);
            reuse = it;
        }
        assertThat(set.err()).isNull();
        return out;
    }

    private static Labels series(int i) {
        return Labels.of("__name__", "m" + (i % 3), "job", "j" + (i % 2), "i", Integer.toString(i));
    }

    @Test
    void appendCommitQuery_matchesReferenceModel() throws Exception {
        Head head = new Head();
        Random rnd = new Random(11);
        Map<Labels, List<long[]>> expected = new TreeMap<>();
        long[] refs = new long[50];
        for (int scrape = 0; scrape < 400; scrape++) {
            Appender app = head.appender();
            long t = 1_000_000L + scrape * 15_000L + rnd.nextInt(50); // jittered 15 s scrapes
            for (int i = 0; i < refs.length; i++) {
                double v = switch (i % 4) {
                    case 0 -> scrape;                      // counter
                    case 1 -> rnd.nextGaussian();          // noisy gauge
                    case 2 -> 42;                          // constant
                    default -> scrape % 7 == 0 ? Double.longBitsToDouble(0x7FF0000000000002L) : scrape * 0.5; // stale markers
                };
                refs[i] = app.append(rnd.nextInt(5) == 0 ? 0 : refs[i], series(i), t, v);
                expected.computeIfAbsent(series(i), k -> new ArrayList<>()).add(new long[] {t, Double.doubleToRawLongBits(v)});
            }
            app.commit();
        }
        Map<Labels, List<long[]>> got = dump(head.querier(Long.MIN_VALUE, Long.MAX_VALUE), ALL);
        assertThat(got.keySet()).containsExactlyElementsOf(expected.keySet());
        for (Labels l : expected.keySet()) {
            assertThat(got.get(l)).as("%s", l).usingRecursiveComparison().isEqualTo(expected.get(l));
        }
        assertThat(head.numSeries()).isEqualTo(50);
    }

    @Test
    void query_clipsToRange_andSeeks() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        for (int i = 0; i < 1000; i++) {
            app.append(0, series(0), i * 1000L, i);
        }
        app.commit();
        Map<Labels, List<long[]>> got = dump(head.querier(100_000, 199_999), Matcher.equal("i", "0"));
        List<long[]> samples = got.get(series(0));
        assertThat(samples).hasSize(100);
        assertThat(samples.get(0)[0]).isEqualTo(100_000);
        assertThat(samples.get(99)[0]).isEqualTo(199_000);

        SeriesSet set = head.querier(0, 999_000).select(false, null, Matcher.equal("i", "0"));
        assertThat(set.next()).isTrue();
        SampleIterator it = set.at().iterator(null);
        assertThat(it.seek(500_500)).isEqualTo(ValueType.FLOAT);
        assertThat(it.atT()).isEqualTo(501_000);
        assertThat(it.seek(400_000)).isEqualTo(ValueType.FLOAT); // never backwards
        assertThat(it.atT()).isEqualTo(501_000);
        assertThat(it.seek(5_000_000)).isEqualTo(ValueType.NONE);
    }

    @Test
    void append_refusesOutOfOrderAndDuplicates() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        long ref = app.append(0, series(1), 10_000, 1);
        app.commit();
        Appender next = head.appender();
        assertThatThrownBy(() -> next.append(ref, series(1), 9_000, 1))
                .isInstanceOf(AppendException.class).hasMessage("out of order sample");
        assertThatThrownBy(() -> next.append(ref, series(1), 10_000, 2))
                .isInstanceOf(AppendException.class).hasMessage("duplicate sample for timestamp");
        assertThat(next.append(ref, series(1), 10_000, 1)).isEqualTo(ref); // same value: ignored
        next.append(ref, series(1), 11_000, 3);
        next.commit();
        assertThat(dump(head.querier(0, Long.MAX_VALUE), ALL).get(series(1))).hasSize(2);
    }

    @Test
    void append_refusesSamplesFarBehindHead() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        app.append(0, series(1), Head.DEFAULT_CHUNK_RANGE * 10, 1);
        app.commit();
        Appender late = head.appender();
        assertThatThrownBy(() -> late.append(0, series(2), Head.DEFAULT_CHUNK_RANGE * 10 - Head.DEFAULT_CHUNK_RANGE / 2 - 1, 1))
                .isInstanceOf(AppendException.class).hasMessage("out of bounds");
        late.append(0, series(2), Head.DEFAULT_CHUNK_RANGE * 10 - Head.DEFAULT_CHUNK_RANGE / 2, 1);
        late.commit();
    }

    @Test
    void rollback_leavesNothingVisible() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        app.append(0, series(1), 1000, 1);
        app.rollback();
        assertThat(dump(head.querier(Long.MIN_VALUE, Long.MAX_VALUE), ALL)).isEmpty();
        assertThat(head.maxTime()).isEqualTo(Long.MIN_VALUE);
        // The series object was created by append; truncation collects it.
        assertThat(head.truncate(Long.MIN_VALUE)).isEqualTo(1);
        assertThat(head.numSeries()).isZero();
    }

    @Test
    void chunks_areCutAtAbout120SamplesAndAtRangeBoundaries() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        for (int i = 0; i < 2 * 480; i++) { // 4 hours of 15 s scrapes
            app.append(0, series(0), i * 15_000L, i);
        }
        app.commit();
        MemSeries s = head.series.byLabels(series(0));
        synchronized (s) {
            assertThat(s.chunkCount()).isEqualTo(8); // 480 samples per 2h range → 4 chunks of 120
        }
        try (RangeHead r = new RangeHead(head, 0, Head.DEFAULT_CHUNK_RANGE - 1, RangeHead.Part.ALL)) {
            io.specula.tsdb.index.ChunkMetas first = new io.specula.tsdb.index.ChunkMetas();
            r.index().series(s.ref, new io.specula.model.labels.LabelsBuilder(), first);
            assertThat(first.size()).isEqualTo(4);
            for (int i = 0; i < first.size(); i++) {
                assertThat(r.chunks().chunk(first.ref(i), null).numSamples()).isEqualTo(120);
            }
        }
    }

    @Test
    void select_supportsEveryMatcherKind() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        app.append(0, Labels.of("__name__", "up", "job", "api", "zone", "a"), 1, 1);
        app.append(0, Labels.of("__name__", "up", "job", "db"), 1, 1);
        app.append(0, Labels.of("__name__", "up", "job", "web", "zone", "b"), 1, 1);
        app.commit();
        Querier q = head.querier(0, 10);
        assertThat(jobs(q, Matcher.equal("job", "api"))).containsExactly("api");
        assertThat(jobs(q, Matcher.of(MatchType.NOT_EQUAL, "job", "api"))).containsExactly("db", "web");
        assertThat(jobs(q, Matcher.of(MatchType.REGEX, "job", "api|web"))).containsExactly("api", "web");
        assertThat(jobs(q, Matcher.of(MatchType.REGEX, "job", "d.*"))).containsExactly("db");
        assertThat(jobs(q, Matcher.of(MatchType.NOT_REGEX, "job", "a.*|w.*"))).containsExactly("db");
        // Matchers accepting "" select series without the label too.
        assertThat(jobs(q, Matcher.equal("__name__", "up"), Matcher.equal("zone", ""))).containsExactly("db");
        assertThat(jobs(q, Matcher.equal("__name__", "up"), Matcher.of(MatchType.REGEX, "zone", "a|"))).containsExactly("api", "db");
        assertThat(jobs(q, Matcher.equal("__name__", "up"), Matcher.of(MatchType.NOT_EQUAL, "zone", "a"))).containsExactly("db", "web");
        assertThat(jobs(q, Matcher.equal("job", "none"))).isEmpty();
        assertThat(q.labelValues("job")).containsExactly("api", "db", "web");
        assertThat(q.labelValues("job", Matcher.equal("zone", "b"))).containsExactly("web");
        assertThat(q.labelNames()).containsExactly("__name__", "job", "zone");
        assertThat(q.labelNames(Matcher.equal("job", "db"))).containsExactly("__name__", "job");
    }

    private static List<String> jobs(Querier q, Matcher... m) {
        List<String> out = new ArrayList<>();
        for (Labels l : dump(q, m).keySet()) {
            out.add(l.get("job"));
        }
        return out;
    }

    @Test
    void truncate_dropsOldDataAndCollectsChurnedSeries() throws Exception {
        Head head = new Head();
        long range = Head.DEFAULT_CHUNK_RANGE;
        for (int gen = 0; gen < 5; gen++) { // every 2h a new set of 100 series replaces the last
            Appender app = head.appender();
            for (int i = 0; i < 100; i++) {
                for (int k = 0; k < 4; k++) {
                    app.append(0, Labels.of("__name__", "pod_up", "pod", "p" + gen + "-" + i), gen * range + k * 15_000L, 1);
                }
            }
            app.commit();
            head.truncate(gen * range);
            assertThat(head.numSeries()).isEqualTo(100);
        }
        assertThat(head.querier(0, Long.MAX_VALUE).labelValues("pod")).hasSize(100).allMatch(p -> p.startsWith("p4-"));
        Appender late = head.appender();
        assertThatThrownBy(() -> late.append(0, series(1), 3 * range, 1)).hasMessage("out of bounds");
    }

    @Test
    void commit_logsBatchBeforeMemory() throws Exception {
        List<String> events = new ArrayList<>();
        Head[] holder = new Head[1];
        HeadLog log = (newRefs, newLabels, newCount, refs, ts, vs, n) -> {
            events.add("log " + newCount + " new, " + n + " samples");
            // The batch must not be visible yet when the log sees it.
            events.add("visible " + dump(holder[0].querier(0, Long.MAX_VALUE), ALL).size());
        };
        Head head = new Head(Head.DEFAULT_CHUNK_RANGE, log);
        holder[0] = head;
        Appender app = head.appender();
        long ref = app.append(0, series(1), 1000, 1);
        app.append(0, series(2), 1000, 1);
        app.append(ref, series(1), 2000, 1);
        app.commit();
        assertThat(events).containsExactly("log 2 new, 3 samples", "visible 0");
        assertThat(dump(head.querier(0, Long.MAX_VALUE), ALL)).hasSize(2);
    }

    @Test
    void concurrentAppendersAndQueriers_stayConsistent() throws Exception {
        Head head = new Head();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int worker = w;
            work.add(pool.submit(() -> {
                long[] refs = new long[200];
                for (int scrape = 0; scrape < 100; scrape++) {
                    Appender app = head.appender();
                    for (int i = 0; i < refs.length; i++) {
                        refs[i] = app.append(refs[i], Labels.of("__name__", "c", "w", "" + worker, "i", "" + i), scrape * 1000L, scrape);
                    }
                    app.commit();
                }
                return null;
            }));
        }
        work.add(pool.submit(() -> {
            for (int k = 0; k < 50; k++) {
                for (List<long[]> samples : dump(head.querier(0, Long.MAX_VALUE), ALL).values()) {
                    for (int i = 1; i < samples.size(); i++) {
                        assertThat(samples.get(i)[0]).isGreaterThan(samples.get(i - 1)[0]);
                    }
                }
            }
            return null;
        }));
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        Map<Labels, List<long[]>> all = dump(head.querier(0, Long.MAX_VALUE), ALL);
        assertThat(all).hasSize(600);
        assertThat(all.values()).allMatch(s -> s.size() == 100);
        Map<String, Integer> perWorker = new HashMap<>();
        all.keySet().forEach(l -> perWorker.merge(l.get("w"), 1, Integer::sum));
        assertThat(perWorker).containsOnly(Map.entry("0", 200), Map.entry("1", 200), Map.entry("2", 200));
    }

    @Test
    void appendByHandle_skipsLookups_andRecreatesASeriesTruncatedAway() throws Exception {
        Head head = new Head();
        long range = Head.DEFAULT_CHUNK_RANGE;
        SeriesHandle h = new SeriesHandle();
        Appender app = head.appender();
        app.append(h, series(1), 0, 1000, 1);
        app.commit();
        long first = h.ref();
        assertThat(first).isNotZero();
        assertThat(h.series(head)).isNotNull();
        assertThat(h.series(new Head())).as("another head's appender must not use it").isNull();
        app = head.appender();
        app.append(h, series(1), 0, 2000, 2);
        app.commit();
        assertThat(h.ref()).isEqualTo(first);
        // The series ends before the truncation point and is dropped; the handle still holds it.
        head.truncate(range);
        assertThat(head.numSeries()).isZero();
        app = head.appender();
        app.append(h, series(1), 0, range + 1000, 3);
        app.commit();
        assertThat(h.ref()).isNotEqualTo(first);
        assertThat(head.numSeries()).isEqualTo(1);
        assertThat(dump(head.querier(0, Long.MAX_VALUE), ALL).get(series(1)))
                .usingRecursiveComparison().isEqualTo(List.of(new long[] {range + 1000, Double.doubleToRawLongBits(3)}));
    }

    @Test
    void pooledBatches_carryNothingFromOneTransactionToTheNext() throws Exception {
        List<String> events = new ArrayList<>();
        HeadLog log = new HeadLog() {
            @Override
            public void log(long[] newRefs, Labels[] newLabels, int newCount, long[] refs, long[] ts, double[] vs, int n) {
                log(newRefs, newLabels, newCount, refs, null, ts, vs, n);
            }

            @Override
            public void log(long[] newRefs, Labels[] newLabels, int newCount, long[] refs, long[] sts, long[] ts,
                    double[] vs, int n) {
                StringBuilder sb = new StringBuilder(newCount + " new:");
                for (int i = 0; i < n; i++) {
                    sb.append(' ').append(refs[i]).append('@').append(ts[i]).append('=').append(vs[i]);
                    if (sts != null) {
                        sb.append("/st").append(sts[i]);
                    }
                }
                events.add(sb.toString());
            }
        };
        Head head = new Head(Head.DEFAULT_CHUNK_RANGE, log);
        Appender app = head.appender();
        for (int i = 0; i < 100; i++) { // grows the batch past its first capacity
            app.append(0, series(i), 1000, i);
        }
        app.rollback();
        app = head.appender();
        long ref = app.append(0, series(1), 500, 2000, 7);
        app.commit();
        app = head.appender();
        app.append(ref, series(1), 3000, 8);
        app.commit();
        app = head.appender();
        app.commit(); // nothing appended: nothing logged
        assertThat(events).containsExactly("1 new: " + ref + "@2000=7.0/st500", "0 new: " + ref + "@3000=8.0");
        // The rolled-back series were never logged nor kept busy: truncation collects them.
        assertThat(head.truncate(Long.MIN_VALUE)).isEqualTo(99);
    }

    @Test
    void truncate_keepsTheLaterChunksOfASeries_andItKeepsGrowing() throws Exception {
        Head head = new Head();
        long step = 15_000;
        List<long[]> expected = new ArrayList<>();
        int total = 0;
        for (int round = 0; round < 3; round++) { // each round cuts chunks past the last truncation's
            Appender app = head.appender();
            for (int k = 0; k < 1000; k++, total++) {
                app.append(0, series(1), total * step, total);
            }
            app.commit();
            long mint = (total - 300) * step;
            head.truncate(mint);
            expected.clear();
            for (int k = 0; k < total; k++) {
                expected.add(new long[] {k * step, Double.doubleToRawLongBits(k)});
            }
            // Whole chunks before mint go; the chunk holding mint stays.
            List<long[]> got = dump(head.querier(Long.MIN_VALUE, Long.MAX_VALUE), ALL).get(series(1));
            assertThat(got.getFirst()[0]).isLessThanOrEqualTo(mint).isGreaterThan(mint - 2 * 120 * step);
            assertThat(got).usingRecursiveComparison().isEqualTo(expected.subList(total - got.size(), total));
        }
    }
}
