package io.specula.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StartTimesTest {
    @Test
    void put_constantStartTime_keepsOneRun() {
        StartTimes s = new StartTimes();
        for (long t = 1000; t < 1_000_000; t += 15_000) {
            s.put(t, 500);
        }
        assertThat(s.runs()).isEqualTo(1);
        assertThat(s.get(999)).isZero();
        assertThat(s.get(1000)).isEqualTo(500);
        assertThat(s.get(991_000)).isEqualTo(500);
    }

    @Test
    void put_outOfOrder_splitsRunAndKeepsNeighbours() {
        StartTimes s = new StartTimes();
        s.put(10, 5);
        s.put(20, 5);
        s.put(30, 5);
        s.put(20, 15); // rewrite in the middle of the run
        assertThat(s.get(10)).isEqualTo(5);
        assertThat(s.get(20)).isEqualTo(15);
        assertThat(s.get(30)).isEqualTo(5);
        s.put(5, 1); // before every run
        assertThat(s.get(5)).isEqualTo(1);
        assertThat(s.get(10)).isEqualTo(5);
    }

    @Test
    void put_matchesReferenceModel_randomOrder() {
        Random rnd = new Random(7);
        StartTimes s = new StartTimes();
        TreeMap<Long, Long> ref = new TreeMap<>();
        for (int i = 0; i < 5_000; i++) {
            long t = rnd.nextInt(2_000);
            long st = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(3) * 100L;
            s.put(t, st);
            ref.put(t, st);
        }
        for (var e : ref.entrySet()) {
            assertThat(s.get(e.getKey())).as("t=%d", e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void truncateBefore_dropsOldRuns_andCopyClipsToRange() {
        StartTimes s = new StartTimes();
        for (long t = 0; t < 100; t += 10) {
            s.put(t, t - 5); // a delta series: one run per sample
        }
        assertThat(s.truncateBefore(55)).isFalse();
        assertThat(s.get(50)).isEqualTo(45);
        assertThat(s.get(90)).isEqualTo(85);
        StartTimes c = s.copy(60, 75);
        assertThat(c.runs()).isEqualTo(2);
        StartTimes.Cursor cur = c.new Cursor();
        assertThat(cur.at(60)).isEqualTo(55);
        assertThat(cur.at(70)).isEqualTo(65);
        assertThat(cur.at(60)).isEqualTo(55); // going back restarts
        StartTimes none = new StartTimes();
        none.put(10, 3);
        none.put(20, 0);
        assertThat(none.copy(20, 30)).isNull();
        assertThat(none.truncateBefore(20)).isTrue();
    }
}
