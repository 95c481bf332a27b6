package io.specula.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prometheus's {@code prometheus_rule_*} metrics, read from the groups' plain counters when
 * asked, so the rules module needs no metrics library. Every sample carries the
 * {@code rule_group} label ({@code file;name}).
 */
public final class RuleMetrics {
    private RuleMetrics() {}

    /** The kinds of metric a sample belongs to, as the exposition format names them. */
    public enum Type { COUNTER, GAUGE }

    /** One metric value. */
    public record Sample(String name, Type type, String help, Map<String, String> labels, double value) {}

    public static List<Sample> snapshot(List<RuleGroup> groups) {
        List<Sample> out = new ArrayList<>();
        for (RuleGroup g : groups) {
            Map<String, String> l = Map.of("rule_group", g.key());
            out.add(new Sample("prometheus_rule_evaluations_total", Type.COUNTER,
                    "The total number of rule evaluations.", l, g.evaluations.sum()));
            out.add(new Sample("prometheus_rule_evaluation_failures_total", Type.COUNTER,
                    "The total number of rule evaluation failures.", l, g.failures.sum()));
            out.add(new Sample("prometheus_rule_group_iterations_total", Type.COUNTER,
                    "The total number of scheduled rule group evaluations, whether executed or missed.", l,
                    g.iterations.sum()));
            out.add(new Sample("prometheus_rule_group_iterations_missed_total", Type.COUNTER,
                    "The total number of rule group evaluations missed due to slow rule group evaluation.", l,
                    g.iterationsMissed.sum()));
            out.add(new Sample("prometheus_rule_group_interval_seconds", Type.GAUGE,
                    "The interval of a rule group.", l, g.intervalMs() / 1000.0));
            out.add(new Sample("prometheus_rule_group_last_duration_seconds", Type.GAUGE,
                    "The duration of the last rule group evaluation.", l, g.evaluationNanos() / 1e9));
            out.add(new Sample("prometheus_rule_group_last_evaluation_timestamp_seconds", Type.GAUGE,
                    "The timestamp of the last rule group evaluation in seconds.", l,
                    g.lastEvalTimestampMs() / 1000.0));
            out.add(new Sample("prometheus_rule_group_last_evaluation_samples", Type.GAUGE,
                    "The number of samples returned during the last rule group evaluation.", l, g.lastSamples()));
            out.add(new Sample("prometheus_rule_group_rules", Type.GAUGE,
                    "The number of rules.", l, g.rules().size()));
        }
        return out;
    }
}
