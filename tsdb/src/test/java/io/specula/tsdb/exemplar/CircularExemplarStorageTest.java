package io.specula.tsdb.exemplar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.exemplar.CircularExemplarStorage.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircularExemplarStorageTest {
    private static final Labels A = Labels.of("__name__", "a", "job", "x");
    private static final Labels B = Labels.of("__name__", "b", "job", "x");
    private static final List<Matcher[]> ALL = List.<Matcher[]>of(new Matcher[] {Matcher.equal("job", "x")});

    private static Labels trace(String id) {
        return Labels.of("trace_id", id);
    }

    private static List<Long> times(CircularExemplarStorage s, Labels series) {
        return s.select(Long.MIN_VALUE, Long.MAX_VALUE, ALL).stream().filter(r -> r.seriesLabels().equals(series))
                .flatMap(r -> r.exemplars().stream()).map(CircularExemplarStorage.Exemplar::t).toList();
    }

    @Test
    void add_wrapsAroundOverwritingOldestOfAnySeries() {
        CircularExemplarStorage s = new CircularExemplarStorage(3);
        assertThat(s.add(A, trace("1"), 1, true, 1)).isEqualTo(Status.OK);
        assertThat(s.add(B, trace("2"), 2, true, 2)).isEqualTo(Status.OK);
        assertThat(s.add(A, trace("3"), 3, true, 3)).isEqualTo(Status.OK);
        assertThat(s.add(A, trace("4"), 4, true, 4)).isEqualTo(Status.OK); // overwrites A@1
        assertThat(times(s, A)).containsExactly(3L, 4L);
        assertThat(times(s, B)).containsExactly(2L);
        assertThat(s.add(A, trace("5"), 5, true, 5)).isEqualTo(Status.OK); // overwrites B@2, B's last
        assertThat(times(s, B)).isEmpty();
        assertThat(times(s, A)).containsExactly(3L, 4L, 5L);
        CircularExemplarStorage.Stats st = s.stats();
        assertThat(st.appended()).isEqualTo(5);
        assertThat(st.inStorage()).isEqualTo(3);
        assertThat(st.seriesInStorage()).isEqualTo(1);
        assertThat(st.lastTimestampSeconds()).isEqualTo(0.003);
        assertThat(s.add(A, trace("6"), 6, true, 6)).isEqualTo(Status.OK); // a series overwriting itself
        assertThat(times(s, A)).containsExactly(4L, 5L, 6L);
    }

    @Test
    void add_ringOfOne() {
        CircularExemplarStorage s = new CircularExemplarStorage(1);
        s.add(A, trace("1"), 1, true, 1);
        s.add(A, trace("2"), 2, true, 2);
        assertThat(times(s, A)).containsExactly(2L);
        s.add(B, trace("3"), 3, true, 3);
        assertThat(times(s, A)).isEmpty();
        assertThat(times(s, B)).containsExactly(3L);
        assertThat(s.stats().seriesInStorage()).isEqualTo(1);
    }

    @Test
    void add_refusesOutOfOrderAndCountsIt() {
        CircularExemplarStorage s = new CircularExemplarStorage(10);
        s.add(A, trace("1"), 10, true, 1);
        assertThat(s.validate(A, trace("2"), 10, true, 2)).isEqualTo(Status.OUT_OF_ORDER);
        assertThat(s.add(A, trace("2"), 9, true, 2)).isEqualTo(Status.OUT_OF_ORDER);
        assertThat(Status.OUT_OF_ORDER.message()).isEqualTo("out of order exemplar");
        assertThat(s.add(B, trace("2"), 9, true, 2)).isEqualTo(Status.OK); // another series has its own order
        assertThat(s.stats().outOfOrder()).isEqualTo(1);
    }

    @Test
    void add_duplicateOfNewestIsNoOp() {
        CircularExemplarStorage s = new CircularExemplarStorage(10);
        s.add(A, trace("1"), 10, true, 1);
        assertThat(s.add(A, trace("1"), 10, true, 1)).isEqualTo(Status.DUPLICATE);
        // Without an explicit time (the scrape's), the same labels and value are the same exemplar.
        CircularExemplarStorage implicit = new CircularExemplarStorage(10);
        implicit.add(A, trace("1"), 10, false, 1);
        assertThat(implicit.add(A, trace("1"), 25, false, 1)).isEqualTo(Status.DUPLICATE);
        assertThat(implicit.add(A, trace("1"), 25, false, 2)).isEqualTo(Status.OK);
        assertThat(times(implicit, A)).containsExactly(10L, 25L);
        // With explicit times a later one with the same labels and value is new.
        assertThat(s.add(A, trace("1"), 11, true, 1)).isEqualTo(Status.OK);
        assertThat(s.stats().appended()).isEqualTo(2);
    }

    @Test
    void add_labelSetLengthCountsRunesOfNamesAndValues() {
        CircularExemplarStorage s = new CircularExemplarStorage(10);
        String v = "é".repeat(128 - "trace_id".length());
        assertThat(s.add(A, Labels.of("trace_id", v), 1, true, 1)).isEqualTo(Status.OK);
        assertThat(s.add(A, Labels.of("trace_id", v + "x"), 2, true, 1)).isEqualTo(Status.LABEL_LENGTH);
        assertThat(Status.LABEL_LENGTH.message())
                .isEqualTo("label length for exemplar exceeds maximum of 128 UTF-8 characters");
        String emoji = "😀".repeat(60); // 60 runes, 120 UTF-16 chars
        assertThat(s.add(A, Labels.of("trace_id", emoji), 3, true, 1)).isEqualTo(Status.OK);
    }

    @Test
    void disabled_refusesEverything() {
        CircularExemplarStorage s = new CircularExemplarStorage(0);
        assertThat(s.enabled()).isFalse();
        assertThat(s.add(A, trace("1"), 1, true, 1)).isEqualTo(Status.DISABLED);
        assertThat(s.select(0, 10, ALL)).isEmpty();
    }

    @Test
    void resize_keepsTheNewestInOrder() {
        CircularExemplarStorage s = new CircularExemplarStorage(5);
        for (int i = 1; i <= 7; i++) {
            s.add(i % 2 == 0 ? A : B, trace("t" + i), i, true, i);
        }
        // Ring holds 3..7: B@3, A@4, B@5, A@6, B@7.
        assertThat(s.resize(3)).isEqualTo(3);
        assertThat(times(s, A)).containsExactly(6L);
        assertThat(times(s, B)).containsExactly(5L, 7L);
        assertThat(s.stats().maxExemplars()).isEqualTo(3);
        assertThat(s.resize(10)).isEqualTo(3);
        assertThat(s.add(A, trace("8"), 8, true, 8)).isEqualTo(Status.OK);
        assertThat(times(s, A)).containsExactly(6L, 8L);
        assertThat(s.stats().inStorage()).isEqualTo(4);
        assertThat(s.stats().appended()).isEqualTo(8); // moves are not appends
        assertThat(s.resize(10)).isZero();
        assertThat(s.resize(0)).isZero();
        assertThat(s.select(Long.MIN_VALUE, Long.MAX_VALUE, ALL)).isEmpty();
        assertThatThrownBy(() -> s.resize(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void select_filtersByTimeAndMatcherSets() {
        CircularExemplarStorage s = new CircularExemplarStorage(10);
        for (int i = 1; i <= 4; i++) {
            s.add(A, trace("a" + i), i * 10, true, i);
            s.add(B, trace("b" + i), i * 10, true, i);
        }
        List<CircularExemplarStorage.Result> r = s.select(15, 30, List.<Matcher[]>of(new Matcher[] {Matcher.equal("__name__", "b")}));
        assertThat(r).hasSize(1);
        assertThat(r.get(0).seriesLabels()).isEqualTo(B);
        assertThat(r.get(0).exemplars()).extracting(CircularExemplarStorage.Exemplar::t).containsExactly(20L, 30L);
        r = s.select(40, 100, List.<Matcher[]>of(new Matcher[] {Matcher.equal("__name__", "b")},
                new Matcher[] {Matcher.equal("__name__", "a")}));
        assertThat(r).extracting(CircularExemplarStorage.Result::seriesLabels).containsExactly(A, B); // sorted
        assertThat(s.select(41, 100, ALL)).isEmpty();
    }
}
