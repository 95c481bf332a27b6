package io.specula.benchmarks.relabel;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.relabel.RelabelConfig;
import io.specula.model.relabel.Relabeler;
import java.util.List;
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
 * Cost per series of typical {@code metric_relabel_configs}, which run on every scraped
 * series whose labels are not in the scrape cache. Run: {@code bench/jmh.sh RelabelBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RelabelBenchmark {
    /** drop: one drop rule on __name__; shard: hashmod + keep (sharding); rewrite: replace and labeldrop. */
    @Param({"drop", "shard", "rewrite"})
    public String rules;

    private List<RelabelConfig> configs;
    private final Relabeler relabeler = new Relabeler();
    private final LabelsBuilder builder = new LabelsBuilder();
    private final Labels[] series = new Labels[256];
    private int next;

    private static RelabelConfig rule(String action, List<String> sources, String regex, String target, String replacement, long modulus) {
        RelabelConfig c = new RelabelConfig();
        c.setAction(action);
        if (sources != null) {
            c.setSourceLabels(sources);
        }
        if (regex != null) {
            c.setRegex(regex);
        }
        if (target != null) {
            c.setTargetLabel(target);
        }
        if (replacement != null) {
            c.setReplacement(replacement);
        }
        if (modulus > 0) {
            c.setModulus(modulus);
        }
        return c.validate();
    }

    @Setup
    public void setup() {
        configs = switch (rules) {
            case "drop" -> List.of(rule("drop", List.of("__name__"), "go_.*|process_.*", null, null, 0));
            case "shard" -> List.of(
                    rule("hashmod", List.of("__name__", "instance"), null, "__tmp_shard", null, 4),
                    rule("keep", List.of("__tmp_shard"), "1", null, null, 0),
                    rule("labeldrop", null, "__tmp_.*", null, null, 0));
            case "rewrite" -> List.of(
                    rule("replace", List.of("instance"), "([^:]+):\\d+", "host", "$1", 0),
                    rule("replace", List.of("namespace", "pod"), "(.+);(.+)", "workload", "$1/$2", 0),
                    rule("labeldrop", null, "uid|id", null, null, 0));
            default -> throw new IllegalArgumentException(rules);
        };
        for (int i = 0; i < series.length; i++) {
            series[i] = Labels.of("__name__", "container_memory_working_set_bytes", "instance", "10.0.0." + i + ":10250",
                    "job", "kubelet", "namespace", "ns-" + (i % 7), "pod", "app-" + i, "uid", "u-" + i, "id", "/x/" + i);
        }
    }

    @Benchmark
    public boolean process() {
        builder.reset(series[next++ & (series.length - 1)]);
        return relabeler.process(builder, configs);
    }
}
