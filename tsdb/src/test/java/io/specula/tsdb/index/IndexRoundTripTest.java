package io.specula.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writes thousands of random series and reads every part of the index back. */
class IndexRoundTripTest {
    @TempDir
    Path dir;

    /** Seeds 1-3 in Prometheus 2.42's layout, 4-5 without label indices (Prometheus 3.6+). */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void writeThenRead_randomSeries_everythingReadsBack(long seed) throws IOException {
        List<TestIndex.Series> series = TestIndex.randomSeries(seed, 4000);
        Path file = dir.resolve("index");
        boolean labelIndices = seed <= 3;
        long[] refs = TestIndex.write(file, series, labelIndices);

        // Expected postings: name -> value -> refs, in index order.
        Map<String, Map<String, List<Long>>> expected = new TreeMap<>(Utf8Order.STRINGS);
        for (int i = 0; i < series.size(); i++) {
            Labels l = series.get(i).labels();
            for (int k = 0; k < l.size(); k++) {
                expected.computeIfAbsent(l.name(k), n -> new TreeMap<>(Utf8Order.STRINGS))
                        .computeIfAbsent(l.value(k), v -> new ArrayList<>()).add(refs[i]);
            }
        }

        try (IndexFileReader r = IndexReader.open(file)) {
            r.verifyChecksums();
            if (!labelIndices) {
                assertThat(r.toc().labelIndices()).isEqualTo(r.toc().postings());
                assertThat(r.toc().labelIndicesTable()).isEqualTo(r.toc().postingsTable());
            }
            List<String> symbols = new ArrayList<>();
            for (Iterator<String> it = r.symbols(); it.hasNext(); ) {
                symbols.add(it.next());
            }
            assertThat(symbols).containsExactlyElementsOf(TestIndex.symbols(series));
            for (int i = 0; i < symbols.size(); i++) {
                assertThat(r.symbol(i)).isEqualTo(symbols.get(i));
            }
            assertThat(r.labelNames()).containsExactlyElementsOf(expected.keySet());
            for (var byName : expected.entrySet()) {
                assertThat(r.labelValues(byName.getKey())).containsExactlyElementsOf(byName.getValue().keySet());
                for (var byValue : byName.getValue().entrySet()) {
                    assertThat(Postings.toArray(r.postings(byName.getKey(), byValue.getKey())))
                            .containsExactly(byValue.getValue().stream().mapToLong(Long::longValue).toArray());
                }
                assertThat(Postings.toArray(r.postings(byName.getKey(), "not-a-value"))).isEmpty();
            }
            assertThat(Postings.toArray(r.postings("no_such_label", "v1"))).isEmpty();
            assertThat(Postings.toArray(r.allPostings())).containsExactly(refs);

            LabelsBuilder b = new LabelsBuilder();
            ChunkMetas c = new ChunkMetas(1);
            for (int i = 0; i < series.size(); i++) {
                TestIndex.Series s = series.get(i);
                r.series(refs[i], b, c);
                assertThat(b.build()).isEqualTo(s.labels());
                assertThat(c.size()).isEqualTo(s.refs().length);
                for (int k = 0; k < c.size(); k++) {
                    assertThat(new long[] {c.ref(k), c.minTime(k), c.maxTime(k)})
                            .containsExactly(s.refs()[k], s.mint()[k], s.maxt()[k]);
                }
            }
        }
    }
}
