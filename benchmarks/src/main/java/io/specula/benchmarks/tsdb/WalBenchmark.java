package io.specula.benchmarks.tsdb;

import io.specula.benchmarks.ThroughputCounters;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.record.RecordType;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.wal.SegmentFiles;
import io.specula.tsdb.wal.WalReader;
import io.specula.tsdb.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The WAL on one core: {@code log} is a head commit of one scrape (encode the samples record,
 * append it, write the partial page); {@code replay} reads a 2,000-record WAL (2 M samples)
 * and decodes every samples record, as a restart does. Counters: {@code samples}/s and
 * {@code bytes}/s of record data before compression (divide by 1e6 for MB/s).
 *
 * <p>Segments go to {@code -Dspecula.bench.dir} (default {@code /dev/shm} when present, so
 * the numbers measure Specula's code, not the disk); completed segments are deleted as the
 * log benchmark goes. Run: {@code bench/jmh.sh WalBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class WalBenchmark {
    private static final int REPLAY_RECORDS = 2000;

    @Param({"1000"})
    public int samplesPerRecord;

    @Param({"false", "true"})
    public boolean snappy;

    private SamplesRecord[] records;
    private final ByteArrayDataOutput out = new ByteArrayDataOutput(1 << 16);
    private final SamplesRecord decoded = new SamplesRecord(1024);
    private Path root;
    private Path logDir;
    private Path replayDir;
    private WalWriter writer;
    private int deletedBefore;
    private int next;

    @Setup
    public void setup() throws IOException {
        records = ScrapeSamples.records(64, samplesPerRecord, 1);
        Path base = Path.of(System.getProperty("specula.bench.dir",
                Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir")));
        root = Files.createTempDirectory(base, "specula-wal-bench");
        logDir = root.resolve("log");
        replayDir = root.resolve("replay");
        WalWriter.Options options = WalWriter.Options.defaults().withSnappy(snappy);
        SamplesRecord[] replay = ScrapeSamples.records(REPLAY_RECORDS, samplesPerRecord, 2);
        try (WalWriter w = WalWriter.open(replayDir, options)) {
            for (SamplesRecord r : replay) {
                out.reset();
                r.encode(out);
                w.log(out);
            }
        }
        writer = WalWriter.open(logDir, options);
    }

    @TearDown
    public void tearDown() throws IOException {
        writer.close();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public long log(ThroughputCounters c) throws IOException {
        SamplesRecord r = records[next++ & 63];
        out.reset();
        r.encode(out);
        writer.log(out);
        c.samples += r.size();
        c.bytes += out.size();
        int segment = writer.segmentIndex();
        if (segment > deletedBefore) { // keep the directory small: drop completed segments
            SegmentFiles.deleteBefore(logDir, segment);
            deletedBefore = segment;
        }
        return writer.segmentOffset();
    }

    @Benchmark
    public double replay(ThroughputCounters c) throws IOException, CorruptionException {
        double sum = 0;
        try (WalReader reader = WalReader.open(replayDir)) {
            while (reader.next()) {
                byte[] rec = reader.record();
                int len = reader.recordLength();
                if (RecordType.of(rec, len) == RecordType.SAMPLES) {
                    decoded.decode(rec, len);
                    double[] v = decoded.values();
                    for (int i = 0; i < decoded.size(); i++) {
                        sum += v[i];
                    }
                    c.samples += decoded.size();
                    c.bytes += len;
                }
            }
        }
        return sum;
    }
}
