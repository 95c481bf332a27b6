package io.specula.benchmarks.tsdb;

import io.specula.benchmarks.ThroughputCounters;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.record.SamplesRecord;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding of WAL samples records in memory, one record (one scrape of
 * {@code samplesPerRecord} series) per operation. The {@code samples} and {@code bytes}
 * counters give samples/s and encoded bytes/s (divide by 1e6 for MB/s).
 *
 * <p>Run: {@code bench/jmh.sh SamplesRecordBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SamplesRecordBenchmark {
    @Param({"1000"})
    public int samplesPerRecord;

    private SamplesRecord[] records;
    private byte[][] encoded;
    private final ByteArrayDataOutput out = new ByteArrayDataOutput(1 << 16);
    private final SamplesRecord decoded = new SamplesRecord(1024);
    private int next;

    @Setup
    public void setup() {
        records = ScrapeSamples.records(64, samplesPerRecord, 1);
        encoded = new byte[records.length][];
        for (int i = 0; i < records.length; i++) {
            out.reset();
            records[i].encode(out);
            encoded[i] = out.toByteArray();
        }
    }

    @Benchmark
    public int encode(ThroughputCounters c) {
        SamplesRecord r = records[next++ & 63];
        out.reset();
        r.encode(out);
        c.samples += r.size();
        c.bytes += out.size();
        return out.size();
    }

    @Benchmark
    public double decode(ThroughputCounters c) throws CorruptionException {
        byte[] rec = encoded[next++ & 63];
        decoded.decode(rec, rec.length);
        c.samples += decoded.size();
        c.bytes += rec.length;
        return decoded.v(decoded.size() - 1);
    }
}
