package io.specula.scrape;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.model.value.StaleNaN;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.util.ArrayList;
import java.util.List;

/** Reads samples back from a head, for assertions. */
final class Stored {
    record Sample(Labels labels, long t, double v) {
        boolean stale() {
            return StaleNaN.is(v);
        }
    }

    private Stored() {}

    static List<Sample> samples(Head head, Matcher... matchers) throws Exception {
        List<Sample> out = new ArrayList<>();
        try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet ss = q.select(true, null, matchers);
            while (ss.next()) {
                Labels l = ss.at().labels();
                SampleIterator it = ss.at().iterator(null);
                while (it.next() == ValueType.FLOAT) {
                    out.add(new Sample(l, it.atT(), it.atV()));
                }
            }
            if (ss.err() != null) {
                throw ss.err();
            }
        }
        return out;
    }

    static List<Sample> named(Head head, String name) throws Exception {
        return samples(head, Matcher.equal(Labels.METRIC_NAME, name));
    }

    /** The values of series {@code name} at time {@code t}. */
    static List<Double> valuesAt(Head head, String name, long t) throws Exception {
        return named(head, name).stream().filter(s -> s.t() == t).map(Sample::v).toList();
    }
}
