package io.specula.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.Queryable;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.util.Map;
import java.util.TreeMap;

/** Checks shared by the database tests whose series carry value = t / 1000 + s. */
final class DBTestSupport {
    private DBTestSupport() {}

    /** Per series (label s): number of samples, after checking every value and strict time order. */
    static Map<String, Integer> counts(Queryable db, long mint, long maxt) throws Exception {
        Map<String, Integer> out = new TreeMap<>();
        try (Querier q = db.querier(mint, maxt)) {
            SeriesSet set = q.select(true, null);
            while (set.next()) {
                Labels l = set.at().labels();
                int s = Integer.parseInt(l.get("s"));
                SampleIterator it = set.at().iterator(null);
                long last = Long.MIN_VALUE;
                int n = 0;
                while (it.next() == ValueType.FLOAT) {
                    assertThat(it.atT()).isGreaterThan(last);
                    assertThat(it.atV()).isEqualTo(it.atT() / 1000.0 + s);
                    last = it.atT();
                    n++;
                }
                assertThat(it.err()).isNull();
                out.put(l.get("s"), n);
            }
            assertThat(set.err()).isNull();
        }
        return out;
    }

    /** promtool tsdb dump output: samples per value of label s. */
    static Map<String, Integer> promtoolDumpCounts(String dump) {
        Map<String, Integer> out = new TreeMap<>();
        for (String line : dump.split("\n")) {
            int i = line.indexOf("s=\"");
            if (i < 0) {
                continue;
            }
            String s = line.substring(i + 3, line.indexOf('"', i + 3));
            out.merge(s, 1, Integer::sum);
        }
        return out;
    }
}
