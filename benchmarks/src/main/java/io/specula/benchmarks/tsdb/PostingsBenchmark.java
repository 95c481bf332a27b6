package io.specula.benchmarks.tsdb;

import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.index.IndexFileReader;
import io.specula.tsdb.index.IndexReader;
import io.specula.tsdb.index.Postings;
import io.specula.tsdb.index.PostingsForMatchers;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Postings algebra over the memory-mapped index of {@link BenchIndex} (1 M series):
 * <ul>
 * <li>{@code intersectDisk}: job="job-1" (100 k refs) ∩ zone="z1" (333 k) → 33 k refs,
 *     straight from the mapped file; {@code intersectHeap} the same lists as long arrays;
 * <li>{@code intersectSkewed}: __name__="metric_42" (10 k) ∩ zone="z0" (333 k), where seeks
 *     skip most of the long list;
 * <li>{@code unionOf100}: instance=~"host-1.." over 100 lists of 100 refs (prefix scan + merge);
 * <li>{@code selector}: resolving {__name__="metric_7", job=~"job-7|job-8", zone!="z0"}.
 * </ul>
 * Each operation drains the result; divide refs by time for throughput. Run:
 * {@code bench/jmh.sh PostingsBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class PostingsBenchmark {
    @Param({"1000000"})
    public int series;

    private IndexFileReader reader;
    private long[] job1;
    private long[] zone1;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        reader = IndexReader.open(BenchIndex.get(series));
        job1 = Postings.toArray(reader.postings("job", "job-1"));
        zone1 = Postings.toArray(reader.postings("zone", "z1"));
    }

    @TearDown(Level.Trial)
    public void close() {
        reader.close();
    }

    private static long drain(Postings p) throws IOException {
        long n = 0, sum = 0;
        while (p.next()) {
            n++;
            sum += p.at();
        }
        if (p.err() != null) {
            throw p.err();
        }
        return n ^ sum;
    }

    @Benchmark
    public long intersectDisk() throws IOException {
        return drain(Postings.intersect(reader.postings("job", "job-1"), reader.postings("zone", "z1")));
    }

    @Benchmark
    public long intersectHeap() throws IOException {
        return drain(Postings.intersect(Postings.of(job1), Postings.of(zone1)));
    }

    @Benchmark
    public long intersectSkewed() throws IOException {
        return drain(Postings.intersect(reader.postings("__name__", "metric_42"), reader.postings("zone", "z0")));
    }

    @Benchmark
    public long unionOf100() throws IOException {
        return drain(reader.postingsForLabelMatching("instance", "host-1", v -> v.length() == 8));
    }

    private final Matcher[] selector = {
        Matcher.of(MatchType.EQUAL, "__name__", "metric_7"), Matcher.of(MatchType.REGEX, "job", "job-7|job-8"),
        Matcher.of(MatchType.NOT_EQUAL, "zone", "z0")};

    @Benchmark
    public long selector() throws IOException {
        return drain(PostingsForMatchers.postings(reader, selector));
    }
}
