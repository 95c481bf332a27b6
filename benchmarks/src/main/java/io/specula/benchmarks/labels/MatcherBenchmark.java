package io.specula.benchmarks.labels;

import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
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
 * Label matching over 1,000 label values, per regex shape: the fast paths against the
 * general RE2 engine. Run: {@code bench/jmh.sh MatcherBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MatcherBenchmark {
    @Param({"api-server-7", "api-.*", ".*-7", "api-server-1|api-server-7|db-9", "api-(server|proxy)-[0-9]+"})
    public String regex;

    private Matcher matcher;
    private final String[] values = new String[1000];

    @Setup
    public void setup() {
        matcher = Matcher.of(MatchType.REGEX, "job", regex);
        String[] kinds = {"api-server-", "api-proxy-", "db-", "cache-"};
        for (int i = 0; i < values.length; i++) {
            values[i] = kinds[i % kinds.length] + (i % 10);
        }
    }

    @Benchmark
    public void match1000(Blackhole bh) {
        for (String v : values) {
            bh.consume(matcher.matches(v));
        }
    }
}
