package io.specula.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.wal.SegmentFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Out-of-order ingestion within {@code out_of_order_time_window}, with Prometheus's rules and errors. */
class HeadOutOfOrderTest {
    private static final Matcher ALL = Matcher.of(MatchType.REGEX, "__name__", ".+");
    private static final long MIN = 60_000;
    private static final Labels A = Labels.of("__name__", "m", "s", "a");
    private static final Labels B = Labels.of("__name__", "m", "s", "b");

    @TempDir
    Path tmp;

    private static Map<Labels, List<long[]>> dump(Head head) {
        try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            return HeadTest.dump(q, ALL);
        }
    }

    private static List<Long> times(List<long[]> samples) {
        List<Long> out = new ArrayList<>();
        for (long[] s : samples) {
            out.add(s[0]);
        }
        return out;
    }

    private static double value(List<long[]> samples, long t) {
        for (long[] s : samples) {
            if (s[0] == t) {
                return Double.longBitsToDouble(s[1]);
            }
        }
        throw new AssertionError("no sample at " + t);
    }

    /** In-order samples of A and B every minute over [0, 60] min. */
    private static void fill(Head head) throws Exception {
        Appender app = head.appender();
        for (long t = 0; t <= 60 * MIN; t += MIN) {
            app.append(0, A, t, t);
            app.append(0, B, t, t);
        }
        app.commit();
    }

    @Test
    void append_withinWindow_acceptedAndMergedByTime() throws Exception {
        Head head = new Head(Head.DEFAULT_CHUNK_RANGE, HeadLog.NONE, 30 * MIN);
        fill(head);
        Appender app = head.appender();
        app.append(0, A, 45 * MIN + 500, -1);
        app.append(0, A, 31 * MIN + 500, -2);
        app.commit();
        List<long[]> a = dump(head).get(A);
        assertThat(a).hasSize(63);
        assertThat(times(a)).isSorted();
        assertThat(value(a, 45 * MIN + 500)).isEqualTo(-1);
        assertThat(value(a, 31 * MIN + 500)).isEqualTo(-2);
        assertThat(dump(head).get(B)).hasSize(61);
        assertThat(head.maxTime()).isEqualTo(60 * MIN); // out-of-order samples do not move the head
    }

    @Test
    void append_sameTimestampAsInOrderOrEarlierOutOfOrder_keepsOneValue() throws Exception {
        Head head = new Head(Head.DEFAULT_CHUNK_RANGE, HeadLog.NONE, 30 * MIN);
        fill(head);
        Appender app = head.appender();
        app.append(0, A, 40 * MIN, 999); // an in-order sample has this timestamp: the in-order value wins
        app.append(0, A, 40 * MIN + 1, 1);
        app.commit();
        Appender again = head.appender();
        again.append(0, A, 40 * MIN + 1, 2); // the first out-of-order value of a timestamp stays
        again.commit();
        List<long[]> a = dump(head).get(A);
        assertThat(a).hasSize(62);
        assertThat(value(a, 40 * MIN)).isEqualTo(40 * MIN);
        assertThat(value(a, 40 * MIN + 1)).isEqualTo(1);
    }

    @Test
    void append_beyondWindow_refusedAsTooOld() throws Exception {
        Head head = new Head(Head.DEFAULT_CHUNK_RANGE, HeadLog.NONE, 30 * MIN);
        fill(head);
        Appender app = head.appender();
        assertThatThrownBy(() -> app.append(0, A, 30 * MIN - 1, 0))
                .isInstanceOf(AppendException.class).hasMessage("too old sample");
        // A new series has no newest sample: within the head's bounds its first sample is in order.
        app.append(0, Labels.of("__name__", "new"), 10 * MIN, 0);
        app.append(0, A, 30 * MIN + 1, 0);
        app.commit();
        assertThat(dump(head).get(A)).hasSize(62);
    }

    @Test
    void append_windowZero_keepsOutOfOrderAndBoundsErrors() throws Exception {
        Head head = new Head();
        fill(head);
        Appender app = head.appender();
        assertThatThrownBy(() -> app.append(0, A, 59 * MIN + 1, 0))
                .isInstanceOf(AppendException.class).hasMessage("out of order sample");
        app.rollback();
        Appender old = head.appender(); // the head accepts down to half a chunk range (1h) behind its newest sample
        assertThatThrownBy(() -> old.append(0, B, -1, 0)).isInstanceOf(AppendException.class).hasMessage("out of bounds");
        old.rollback();
    }

    @Test
    void append_manyOutOfOrderSamplesInAnyOrder_returnedSortedAcrossCutChunks() throws Exception {
        Head head = new Head(Head.DEFAULT_CHUNK_RANGE, HeadLog.NONE, 60 * MIN);
        fill(head);
        List<Long> ts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ts.add(i * 7_001L + 3); // never a whole minute: no in-order timestamp
        }
        java.util.Collections.shuffle(ts, new Random(42));
        for (int i = 0; i < ts.size(); i += 50) { // several commits
            Appender app = head.appender();
            for (long t : ts.subList(i, i + 50)) {
                app.append(0, A, t, t * 2.0);
            }
            app.commit();
        }
        List<long[]> a = dump(head).get(A);
        assertThat(a).hasSize(561);
        assertThat(times(a)).isSorted().doesNotHaveDuplicates();
        assertThat(value(a, 7_004)).isEqualTo(14_008.0);
        // A range query clips out-of-order chunks as well.
        try (Querier q = head.querier(10 * MIN, 20 * MIN)) {
            List<long[]> part = HeadTest.dump(q, ALL).get(A);
            assertThat(part).allSatisfy(s -> assertThat(s[0]).isBetween(10 * MIN, 20 * MIN));
            assertThat(part).hasSize(11 + (int) ts.stream().filter(t -> t >= 10 * MIN && t <= 20 * MIN).count());
        }
    }

    @Test
    void open_replaysOutOfOrderSamplesFromWbl() throws Exception {
        Map<Labels, List<long[]>> before;
        try (Head head = Head.open(tmp, HeadDurabilityTest.smallFiles().withOutOfOrderTimeWindow(60 * MIN))) {
            fill(head);
            for (int k = 0; k < 100; k++) {
                Appender app = head.appender();
                app.append(0, k % 2 == 0 ? A : B, 59 * MIN - k * 20_000 - 1, k);
                app.commit();
            }
            before = dump(head);
        }
        assertThat(before.get(A)).hasSize(111);
        assertThat(SegmentFiles.list(tmp.resolve(Head.WBL_DIR))).isNotEmpty();
        try (Head head = Head.open(tmp, HeadDurabilityTest.smallFiles().withOutOfOrderTimeWindow(60 * MIN))) {
            assertThat(head.replayReport().outOfOrderSamples()).isEqualTo(100);
            assertThat(sameSamples(dump(head), before)).isTrue();
        }
        // Without a window the out-of-order data is still restored (the WBL exists); new ones are refused.
        try (Head head = Head.open(tmp, HeadDurabilityTest.smallFiles())) {
            assertThat(sameSamples(dump(head), before)).isTrue();
            Appender app = head.appender();
            assertThatThrownBy(() -> app.append(0, A, 30 * MIN + 7, 0)).hasMessage("out of order sample");
        }
    }

    @Test
    void freezeAndFinish_dropOnlyFrozenDataAndItsWblSegments() throws Exception {
        try (Head head = Head.open(tmp, HeadDurabilityTest.smallFiles().withOutOfOrderTimeWindow(60 * MIN))) {
            fill(head);
            Appender app = head.appender();
            app.append(0, A, 10 * MIN + 1, 1);
            app.append(0, B, 20 * MIN + 1, 2);
            app.commit();
            long[] range = head.freezeOutOfOrder();
            assertThat(range).containsExactly(10 * MIN + 1, 20 * MIN + 1);
            Appender later = head.appender(); // arrives during the compaction: must stay
            later.append(0, A, 30 * MIN + 1, 3);
            later.commit();
            try (Querier q = head.outOfOrderQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                Map<Labels, List<long[]>> frozen = HeadTest.dump(q, ALL);
                assertThat(times(frozen.get(A))).containsExactly(10 * MIN + 1);
                assertThat(times(frozen.get(B))).containsExactly(20 * MIN + 1);
            }
            head.finishOutOfOrderCompaction(true);
            assertThat(dump(head).get(A)).hasSize(62);
            assertThat(dump(head).get(B)).hasSize(61);
            assertThat(SegmentFiles.list(tmp.resolve(Head.WBL_DIR))).hasSize(1);
        }
        try (Head head = Head.open(tmp, HeadDurabilityTest.smallFiles().withOutOfOrderTimeWindow(60 * MIN))) {
            assertThat(head.replayReport().outOfOrderSamples()).isEqualTo(1);
            assertThat(dump(head).get(A)).hasSize(62);
        }
    }

    @Test
    void wblDirectory_onlyWithAWindowOrExistingWbl() throws Exception {
        try (Head head = Head.open(tmp, HeadDurabilityTest.smallFiles())) {
            fill(head);
        }
        assertThat(Files.exists(tmp.resolve(Head.WBL_DIR))).isFalse();
    }

    private static boolean sameSamples(Map<Labels, List<long[]>> a, Map<Labels, List<long[]>> b) {
        return flatten(a).equals(flatten(b));
    }

    private static Map<String, List<String>> flatten(Map<Labels, List<long[]>> m) {
        Map<String, List<String>> out = new TreeMap<>();
        m.forEach((l, s) -> {
            List<String> x = new ArrayList<>();
            for (long[] p : s) {
                x.add(p[0] + "=" + p[1]);
            }
            out.put(l.toString(), x);
        });
        return out;
    }
}
