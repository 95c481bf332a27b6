package io.specula.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.BlockWriter;
import io.specula.tsdb.block.Ulid;
import io.specula.tsdb.index.Postings;
import io.specula.tsdb.index.PostingsForMatchers;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.ChunkIterator;
import io.specula.tsdb.storage.ChunkQuerier;
import io.specula.tsdb.storage.ChunkSeriesSet;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head read through its IndexReader/ChunkReader and the block queriers, as a persisted block is. */
class RangeHeadTest {
    @TempDir
    Path tmp;

    private static final String[] JOBS = {"api", "db", "web", "ä", ""};
    private static final String[] REGEXES = {".*", ".+", "", "api|db", "a.*", ".*b", "(api|)", "d.|w.b", "\u00e4|x"};

    private static Head head(int series) throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        for (int s = 0; s < series; s++) {
            String job = JOBS[s % JOBS.length];
            Labels l = job.isEmpty() ? Labels.of("__name__", "m" + s % 3, "instance", "i" + s)
                    : Labels.of("__name__", "m" + s % 3, "instance", "i" + s, "job", job);
            for (int i = 0; i < 10; i++) {
                app.append(0, l, 1000L * i, s + i);
            }
        }
        app.commit();
        return head;
    }

    private static List<String> select(Querier q, Matcher... ms) {
        List<String> out = new ArrayList<>();
        SeriesSet set = q.select(true, null, ms);
        while (set.next()) {
            out.add(set.at().labels().toString());
        }
        assertThat(set.err()).isNull();
        return out;
    }

    @Test
    void select_headAndBlockAgreeOnEveryMatcher() throws Exception {
        Head head = head(60);
        Ulid id = Ulid.random(0, new Random(1));
        try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            BlockWriter.write(tmp, id, 0, 10_000, q.select(true, null), null);
        }
        Random rnd = new Random(7);
        try (Block block = Block.open(tmp.resolve(id.toString()));
                Querier hq = head.querier(0, 9_999);
                Querier bq = block.querier(0, 9_999)) {
            assertThat(select(hq)).hasSize(60).isEqualTo(select(bq));
            for (int i = 0; i < 300; i++) {
                List<Matcher> ms = new ArrayList<>();
                for (int k = rnd.nextInt(3); k >= 0; k--) {
                    MatchType type = MatchType.values()[rnd.nextInt(4)];
                    String name = rnd.nextBoolean() ? "job" : rnd.nextBoolean() ? "__name__" : "missing";
                    String value = type.isRegex() ? REGEXES[rnd.nextInt(REGEXES.length)]
                            : name.equals("__name__") ? "m" + rnd.nextInt(4) : JOBS[rnd.nextInt(JOBS.length)];
                    ms.add(Matcher.of(type, name, value));
                }
                Matcher[] arr = ms.toArray(Matcher[]::new);
                assertThat(select(hq, arr)).as("%s", ms).isEqualTo(select(bq, arr));
                assertThat(hq.labelValues("instance", arr)).as("%s", ms).isEqualTo(bq.labelValues("instance", arr));
            }
            assertThat(hq.labelNames()).isEqualTo(bq.labelNames());
            assertThat(hq.labelValues("job")).isEqualTo(bq.labelValues("job"));
        }
    }

    @Test
    void postingsForMatchers_noMatchersSelectNothing_dotStarEverything_onBothIndexes() throws Exception {
        Head head = head(10);
        try (RangeHead r = new RangeHead(head, Long.MIN_VALUE, Long.MAX_VALUE, RangeHead.Part.ALL)) {
            assertThat(Postings.toArray(PostingsForMatchers.postings(r.index(), List.of()))).isEmpty();
            assertThat(Postings.toArray(PostingsForMatchers.postings(r.index(), Matcher.of(MatchType.REGEX, "job", ".*")))).hasSize(10);
            assertThat(Postings.toArray(PostingsForMatchers.postings(r.index(), Matcher.of(MatchType.NOT_REGEX, "job", ".*")))).isEmpty();
            assertThat(Postings.toArray(PostingsForMatchers.postings(r.index(), Matcher.of(MatchType.REGEX, "job", ".+")))).hasSize(8);
        }
    }

    private static List<Long> times(Querier q) {
        List<Long> out = new ArrayList<>();
        SeriesSet set = q.select(true, null);
        SampleIterator it = null;
        while (set.next()) {
            it = set.at().iterator(it);
            while (it.next() == ValueType.FLOAT) {
                out.add(it.atT());
            }
            assertThat(it.err()).isNull();
        }
        return out;
    }

    @Test
    void openChunk_isReadAsASnapshotBoundedByTheQuery() throws Exception {
        Head head = new Head();
        Labels l = Labels.of("__name__", "m");
        Appender app = head.appender();
        for (int i = 0; i < 10; i++) {
            app.append(0, l, i * 1000L, i);
        }
        app.commit();
        try (Querier q = head.querier(0, 9_000)) {
            SeriesSet set = q.select(true, null);
            assertThat(set.next()).isTrue();
            // Appended after the selection, in the same open chunk and then past a cut.
            Appender more = head.appender();
            for (int i = 10; i < 400; i++) {
                more.append(0, l, i * 1000L, i);
            }
            more.commit();
            SampleIterator it = set.at().iterator(null);
            int n = 0;
            while (it.next() == ValueType.FLOAT) {
                assertThat(it.atT()).isEqualTo(n * 1000L);
                n++;
            }
            assertThat(it.err()).isNull();
            assertThat(n).isEqualTo(10); // the query's maxt bounds what it sees
        }
        try (Querier q = head.querier(0, Long.MAX_VALUE)) {
            assertThat(times(q)).hasSize(400);
        }
    }

    @Test
    void outOfOrderAndDeletions_areMergedAndHidden() throws Exception {
        Head head = new Head(Head.DEFAULT_CHUNK_RANGE, null, 3600_000L);
        Labels l = Labels.of("__name__", "m");
        Appender app = head.appender();
        for (int i = 0; i < 100; i += 2) {
            app.append(0, l, i * 1000L, i);
        }
        app.commit();
        app = head.appender();
        for (int i = 1; i < 100; i += 2) { // out of order: between the in-order samples
            app.append(0, l, i * 1000L, i);
        }
        app.append(0, l, 4000L, -1); // a duplicate timestamp: the in-order value stays
        app.commit();
        try (Querier q = head.querier(0, Long.MAX_VALUE)) {
            List<Long> ts = times(q);
            assertThat(ts).hasSize(100);
            for (int i = 0; i < 100; i++) {
                assertThat(ts.get(i)).isEqualTo(i * 1000L);
            }
        }
        head.delete(10_000, 19_000);
        try (Querier q = head.querier(0, Long.MAX_VALUE)) {
            assertThat(times(q)).hasSize(90).doesNotContain(10_000L, 15_000L, 19_000L);
        }
        try (ChunkQuerier q = head.chunkQuerier(0, Long.MAX_VALUE)) {
            ChunkSeriesSet set = q.select(true, null);
            assertThat(set.next()).isTrue();
            ChunkIterator it = set.at().iterator(null);
            long samples = 0;
            long last = Long.MIN_VALUE;
            while (it.next()) {
                assertThat(it.minTime()).isGreaterThan(last); // re-encoded: ordered, no overlap
                last = it.maxTime();
                samples += it.at().numSamples();
            }
            assertThat(samples).isEqualTo(90);
        }
    }
}
