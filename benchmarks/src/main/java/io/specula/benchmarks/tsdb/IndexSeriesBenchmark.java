package io.specula.benchmarks.tsdb;

import io.specula.model.labels.LabelsBuilder;
import io.specula.tsdb.index.ChunkMetas;
import io.specula.tsdb.index.IndexFileReader;
import io.specula.tsdb.index.IndexReader;
import io.specula.tsdb.index.Postings;
import java.io.IOException;
import java.util.Random;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding one series (5 labels, 2 chunk metas) of the 1 M-series {@link BenchIndex} by
 * reference: {@code random} jumps anywhere (a selector's matches spread over the block),
 * {@code sequential} walks refs in order (compaction); {@code build} adds making the
 * immutable Labels. Run with {@code -prof gc} to see allocation per lookup:
 * {@code bench/jmh.sh IndexSeriesBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class IndexSeriesBenchmark {
    @Param({"1000000"})
    public int series;

    private IndexFileReader reader;
    private long[] refs;
    private long[] shuffled;
    private int i;
    private final LabelsBuilder builder = new LabelsBuilder();
    private final ChunkMetas chunks = new ChunkMetas();

    @Setup(Level.Trial)
    public void setup() throws IOException {
        reader = IndexReader.open(BenchIndex.get(series));
        refs = Postings.toArray(reader.allPostings());
        shuffled = refs.clone();
        Random rnd = new Random(1);
        for (int k = shuffled.length - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            long t = shuffled[k];
            shuffled[k] = shuffled[j];
            shuffled[j] = t;
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        reader.close();
    }

    @Benchmark
    public int random() throws IOException {
        long ref = shuffled[i++ % shuffled.length];
        reader.series(ref, builder, chunks);
        return builder.size() + chunks.size();
    }

    @Benchmark
    public int sequential() throws IOException {
        long ref = refs[i++ % refs.length];
        reader.series(ref, builder, chunks);
        return builder.size() + chunks.size();
    }

    @Benchmark
    public void randomBuild(Blackhole bh) throws IOException {
        long ref = shuffled[i++ % shuffled.length];
        reader.series(ref, builder, chunks);
        bh.consume(builder.build());
    }
}
