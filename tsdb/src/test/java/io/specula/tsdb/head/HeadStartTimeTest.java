package io.specula.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadStartTimeTest {
    private static final Labels A = Labels.of("__name__", "a_total");
    private static final Labels B = Labels.of("__name__", "b_total");

    /** {t, st} pairs of one series, and whether its iterator announced start times. */
    private static List<long[]> read(Head head, Labels l, boolean[] announced) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (var q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(false, null, Matcher.of(MatchType.EQUAL, "__name__", l.get("__name__")));
            assertThat(set.next()).isTrue();
            SampleIterator it = set.at().iterator(null);
            announced[0] = it.hasStartTimestamps();
            while (it.next() == ValueType.FLOAT) {
                out.add(new long[] {it.atT(), it.atST()});
            }
            assertThat(it.err()).isNull();
        }
        return out;
    }

    @Test
    void append_withStartTimes_areReadBackPerSample() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        long ref = 0;
        for (int i = 0; i < 300; i++) { // several chunks
            long t = 1_000 + i * 1_000L;
            long st = i < 100 ? 500 : i % 2 == 0 ? t - 1_000 : 0; // cumulative, then delta with gaps
            ref = app.append(ref, A, st, t, i);
        }
        app.append(0, B, 0, 1_000, 1);
        app.commit();
        // A plain append after start times: that sample has none.
        Appender more = head.appender();
        more.append(0, A, 301_000, 7);
        more.commit();

        boolean[] announced = new boolean[1];
        List<long[]> a = read(head, A, announced);
        assertThat(announced[0]).isTrue();
        assertThat(a).hasSize(301);
        for (int i = 0; i < 300; i++) {
            long t = 1_000 + i * 1_000L;
            long st = i < 100 ? 500 : i % 2 == 0 ? t - 1_000 : 0;
            assertThat(a.get(i)).as("sample %d", i).containsExactly(t, st);
        }
        assertThat(a.get(300)).containsExactly(301_000, 0);

        List<long[]> b = read(head, B, announced);
        assertThat(announced[0]).as("a series without start times costs its readers nothing").isFalse();
        assertThat(b.get(0)).containsExactly(1_000, 0);
    }

    @Test
    void outOfOrderSamples_keepTheirStartTimes() throws Exception {
        Head head = new Head(Head.DEFAULT_CHUNK_RANGE, null, 3_600_000);
        Appender app = head.appender();
        app.append(0, A, 100, 10_000, 1);
        app.append(0, A, 100, 30_000, 3);
        app.commit();
        Appender late = head.appender();
        late.append(0, A, 15_000, 20_000, 2);
        late.commit();
        List<long[]> a = read(head, A, new boolean[1]);
        assertThat(a).extracting(s -> s[1]).containsExactly(100L, 15_000L, 100L);
    }

    @Test
    void truncate_dropsStartTimesWithTheirSamples() throws Exception {
        Head head = new Head(10_000, null);
        Appender app = head.appender();
        for (int i = 0; i < 50; i++) {
            app.append(0, A, i * 1_000L + 1, i * 1_000L + 500, i);
        }
        app.commit();
        head.truncate(30_000);
        List<long[]> a = read(head, A, new boolean[1]);
        assertThat(a).isNotEmpty();
        for (long[] s : a) {
            assertThat(s[1]).isEqualTo(s[0] - 499);
        }
    }

    @TempDir
    Path tmp;

    /** Start time of sample i of the durable test series: cumulative runs, then a delta stretch, some without. */
    private static long st(int i, long t) {
        return i % 97 == 5 ? 0 : i < 400 ? 1 + i / 100 * 100_000L : t - 15_000;
    }

    @Test
    void reopen_restoresStartTimesFromTheWal_alsoForSamplesInChunkFiles() throws Exception {
        Path dir = tmp.resolve("data");
        int n = 700; // several cut chunks: most samples are in chunks_head/ at reopen
        try (Head head = Head.open(dir, HeadDurabilityTest.smallFiles())) {
            for (int i = 0; i < n; i++) {
                long t = 1_000_000 + i * 15_000L;
                Appender app = head.appender();
                app.append(0, A, st(i, t), t, i);
                app.append(0, B, t, i); // never has start times
                app.commit();
            }
        }
        try (Head head = Head.open(dir, HeadDurabilityTest.smallFiles())) {
            assertThat(head.replayReport().coveredSamples()).isGreaterThan(0);
            boolean[] announced = new boolean[1];
            List<long[]> a = read(head, A, announced);
            assertThat(a).hasSize(n);
            for (int i = 0; i < n; i++) {
                long t = 1_000_000 + i * 15_000L;
                assertThat(a.get(i)).as("sample %d", i).containsExactly(t, st(i, t));
            }
            read(head, B, announced);
            assertThat(announced[0]).isFalse();
        }
    }
}
