package io.specula.tsdb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.head.Head;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MergeQuerierTest {
    private static final Matcher ALL = Matcher.of(MatchType.REGEX, "__name__", ".+");

    private static Map<Labels, List<Long>> dump(SeriesSet set) {
        Map<Labels, List<Long>> out = new LinkedHashMap<>();
        SampleIterator reuse = null;
        while (set.next()) {
            List<Long> ts = new ArrayList<>();
            SampleIterator it = set.at().iterator(reuse);
            while (it.next() == ValueType.FLOAT) {
                ts.add(it.atT());
                assertThat(it.atV()).isEqualTo(it.atT() * 2.0);
            }
            out.put(set.at().labels(), ts);
            reuse = it;
        }
        assertThat(set.err()).isNull();
        return out;
    }

    @Test
    void select_mergesEqualSeriesAndDedupesTimestamps() throws Exception {
        Random rnd = new Random(5);
        Head[] heads = {new Head(), new Head(), new Head()};
        Map<Labels, java.util.TreeSet<Long>> expected = new TreeMap<>();
        for (int h = 0; h < heads.length; h++) {
            Appender app = heads[h].appender();
            for (int s = 0; s < 30; s++) {
                if (rnd.nextInt(3) == 0) {
                    continue; // not every source has every series
                }
                Labels l = Labels.of("__name__", "m", "s", Integer.toString(s));
                for (long t = rnd.nextInt(20); t < 100; t += 1 + rnd.nextInt(4)) {
                    app.append(0, l, t, t * 2.0);
                    expected.computeIfAbsent(l, k -> new java.util.TreeSet<>()).add(t);
                }
            }
            app.commit();
        }
        List<Querier> qs = new ArrayList<>();
        for (Head h : heads) {
            qs.add(h.querier(0, 1000));
        }
        Map<Labels, List<Long>> got = dump(MergeQuerier.of(qs).select(false, null, ALL));
        assertThat(got.keySet()).containsExactlyElementsOf(expected.keySet()); // sorted by labels
        for (Labels l : expected.keySet()) {
            assertThat(got.get(l)).containsExactlyElementsOf(expected.get(l));
        }
    }

    @Test
    void iterator_seeksAcrossSources() throws Exception {
        Head a = new Head(), b = new Head();
        Labels l = Labels.of("__name__", "m");
        Appender app = a.appender();
        for (long t = 0; t < 50; t += 2) {
            app.append(0, l, t, t * 2.0);
        }
        app.commit();
        app = b.appender();
        for (long t = 41; t < 100; t += 2) {
            app.append(0, l, t, t * 2.0);
        }
        app.commit();
        SeriesSet set = new MergeQuerier(List.of(a.querier(0, 100), b.querier(0, 100))).select(true, null, ALL);
        assertThat(set.next()).isTrue();
        SampleIterator it = set.at().iterator(null);
        assertThat(it.seek(43)).isEqualTo(ValueType.FLOAT);
        assertThat(it.atT()).isEqualTo(43);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.atT()).isEqualTo(44);
        assertThat(it.seek(10)).isEqualTo(ValueType.FLOAT); // not backwards
        assertThat(it.atT()).isEqualTo(44);
        assertThat(it.seek(99)).isEqualTo(ValueType.FLOAT);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThat(set.next()).isFalse();
    }

    @Test
    void labelNamesAndValues_areUnions() throws Exception {
        Head a = new Head(), b = new Head();
        Appender app = a.appender();
        app.append(0, Labels.of("__name__", "x", "job", "a"), 1, 2);
        app.commit();
        app = b.appender();
        app.append(0, Labels.of("__name__", "y", "job", "b", "zone", "z"), 1, 2);
        app.commit();
        Querier q = new MergeQuerier(List.of(a.querier(0, 10), b.querier(0, 10)));
        assertThat(q.labelValues("job")).containsExactly("a", "b");
        assertThat(q.labelNames()).containsExactly("__name__", "job", "zone");
        assertThat(dump(q.select(false, null, Matcher.equal("job", "b"))).keySet())
                .containsExactly(Labels.of("__name__", "y", "job", "b", "zone", "z"));
        q.close();
    }
}
