package io.specula.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.Spans;
import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native histograms through the database: head compaction into blocks, deletion, snapshots, restart. */
class DBHistogramTest {
    private static final long H = 3_600_000;
    private static final Labels L = Labels.of("__name__", "db_hist");

    @TempDir
    Path dir;

    static Histogram hist(long k) {
        Histogram h = new Histogram();
        h.schema = 0;
        h.zeroCount = k;
        h.positiveSpans = Spans.of(0, 2);
        h.positiveBuckets = new long[] {k, 1};
        h.count = 3 * k + 1;
        h.sum = k;
        return h;
    }

    /** {time, count} of every sample of the histogram series. */
    static List<long[]> read(DB db) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(true, null, Matcher.of(MatchType.EQUAL, "__name__", "db_hist"));
            while (set.next()) {
                SampleIterator it = set.at().iterator(null);
                while (it.next() == ValueType.HISTOGRAM) {
                    out.add(new long[] {it.atT(), it.atHistogram(null).count});
                }
                assertThat(it.err()).isNull();
            }
        }
        return out;
    }

    @Test
    void histograms_compactDeleteSnapshotRestart() throws Exception {
        Path data = dir.resolve("data");
        int n = 5 * 60; // one a minute for five hours
        try (DB db = DB.open(data, DB.Options.defaults())) {
            for (int i = 0; i < n; i++) {
                Appender app = db.appender();
                app.appendHistogram(0, L, 0, i * 60_000L, hist(i), null);
                app.commit();
            }
            assertThat(db.compact()).isPositive(); // [0, 2h) into a block
            assertThat(read(db)).hasSize(n);
            db.delete(H, 3 * H, Matcher.of(MatchType.EQUAL, "__name__", "db_hist")); // block and head
            assertThat(read(db)).hasSize(n - 121).noneMatch(s -> s[0] >= H && s[0] <= 3 * H);
            assertThat(db.snapshot(dir.resolve("snap"), true)).isPositive();
        }
        try (DB db = DB.open(data, DB.Options.defaults())) {
            List<long[]> got = read(db);
            assertThat(got).hasSize(n - 121);
            for (long[] s : got) {
                assertThat(s[1]).isEqualTo(3 * (s[0] / 60_000) + 1);
            }
        }
        try (DB db = DB.open(dir.resolve("snap"), DB.Options.defaults())) {
            assertThat(read(db)).hasSize(n - 121);
        }
    }
}
