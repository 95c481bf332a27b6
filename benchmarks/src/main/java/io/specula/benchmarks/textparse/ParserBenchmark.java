package io.specula.benchmarks.textparse;

import io.specula.benchmarks.ThroughputCounters;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.OpenMetricsParser;
import io.specula.model.textparse.ParseException;
import io.specula.model.textparse.Parser;
import io.specula.model.textparse.PromTextParser;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the exposition parsers on one core, as bytes/s and samples/s (the
 * {@code bytes} and {@code samples} counters; divide by 1e6 for MB/s).
 *
 * <p>{@code series} mode is what a scrape with a warm scrape cache does per line: parse and
 * take the raw series bytes and value. {@code labels} mode also decodes every label set
 * through a warm symbol table, as a cold scrape cache (first scrape, churn) does. {@code created} asks every sample for its
 * OpenMetrics created timestamp (a lookahead for {@code _created} within the family).
 *
 * <p>Run: {@code bench/jmh.sh ParserBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ParserBenchmark {
    @Param({"NODE_EXPORTER", "HISTOGRAMS", "LONG_LABELS"})
    public ExpositionBodies.Shape shape;

    @Param({"text", "openmetrics"})
    public String format;

    @Param({"series", "labels", "created"})
    public String mode;

    private byte[] body;
    private final LabelsBuilder builder = new LabelsBuilder();
    private final SymbolTable symbols = new SymbolTable();

    @Setup
    public void setup() {
        body = ExpositionBodies.body(shape, format.equals("openmetrics"));
    }

    @Benchmark
    public void parse(ThroughputCounters counters, Blackhole bh) throws ParseException {
        Parser p = format.equals("openmetrics")
                ? new OpenMetricsParser(body, 0, body.length)
                : new PromTextParser(body, 0, body.length);
        boolean decode = mode.equals("labels");
        boolean created = mode.equals("created");
        long samples = 0;
        for (Entry e; (e = p.next()) != null; ) {
            if (e == Entry.SERIES) {
                samples++;
                bh.consume(p.value());
                bh.consume(p.seriesLength());
                if (decode) {
                    p.labels(builder, symbols);
                    bh.consume(builder.build());
                } else if (created && p.hasCreatedTimestamp()) {
                    bh.consume(p.createdTimestamp());
                }
            }
        }
        counters.samples += samples;
        counters.bytes += body.length;
    }
}
