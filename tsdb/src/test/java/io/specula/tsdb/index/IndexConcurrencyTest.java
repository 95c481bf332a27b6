package io.specula.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.LabelsBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One reader shared by several query threads, as blocks are. */
class IndexConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void reader_sharedByThreads_answersEveryoneCorrectly() throws Exception {
        List<TestIndex.Series> series = TestIndex.randomSeries(13, 3000);
        long[] refs = TestIndex.write(dir.resolve("index"), series);
        try (IndexFileReader r = IndexReader.open(dir.resolve("index")); ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    LabelsBuilder b = new LabelsBuilder();
                    ChunkMetas c = new ChunkMetas();
                    int checked = 0;
                    for (int i = 0; i < 20_000; i++) {
                        int k = rnd.nextInt(series.size());
                        r.series(refs[k], b, c);
                        assertThat(b.build()).isEqualTo(series.get(k).labels());
                        String job = series.get(k).labels().get("job");
                        if (!job.isEmpty() && i % 10 == 0) {
                            Postings p = r.postings("job", job);
                            assertThat(p.seek(refs[k])).isTrue();
                            assertThat(p.at()).isEqualTo(refs[k]);
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(20_000);
            }
        }
    }
}
