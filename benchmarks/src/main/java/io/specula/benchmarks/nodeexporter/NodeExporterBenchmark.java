package io.specula.benchmarks.nodeexporter;

import io.specula.model.config.ConfigException;
import io.specula.model.exposition.ExpositionBuffer;
import io.specula.model.exposition.ExpositionFormat;
import io.specula.model.exposition.ExpositionWriter;
import io.specula.nodeexporter.NodeExporter;
import io.specula.nodeexporter.NodeExporterOptions;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One scrape of the host exporter's default collectors on this machine's real /proc and /sys,
 * written into a reused buffer as the in-process endpoint does: the time a scrape takes, and with
 * {@code -prof gc} the bytes it allocates ({@code gc.alloc.rate.norm}). {@code collector}
 * narrows the scrape to one collector to find the expensive ones.
 *
 * <p>Run: {@code bench/jmh.sh NodeExporterBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "--enable-native-access=ALL-UNNAMED"})
public class NodeExporterBenchmark {

    /** {@code defaults}: every default collector but textfile (no directory here); else one collector's name. */
    @Param({"defaults"})
    public String collector;

    private NodeExporter exporter;
    private final ExpositionBuffer buffer = new ExpositionBuffer(256 << 10);

    @Setup
    public void setup() throws ConfigException {
        Set<String> c = new HashSet<>(NodeExporter.COLLECTORS);
        c.remove("textfile");
        if (!collector.equals("defaults")) {
            c = Set.of(collector);
        }
        exporter = new NodeExporter(NodeExporterOptions.defaults().withCollectors(c));
    }

    @TearDown
    public void tearDown() {
        exporter.close();
    }

    @Benchmark
    public int scrape() throws IOException {
        buffer.reset();
        ExpositionWriter w = ExpositionFormat.PROMETHEUS_TEXT.newWriter(buffer);
        exporter.write(w);
        w.finish();
        return buffer.size();
    }
}
