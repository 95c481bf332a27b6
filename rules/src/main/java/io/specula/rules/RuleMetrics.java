package io.specula.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Prometheus's {@code prometheus_rule_*} metrics, read from the groups' plain counters when
 * asked, so the rules module needs no metrics library. Every sample carries the
 * {@code rule_group} label ({@code file;name}) except the two summaries, which Prometheus
 * keeps across groups and which are given here as their {@code _sum} and {@code _count}
 * (no quantiles).
 */
public final class RuleMetrics {
    private RuleMetrics() {}

    /** The kinds of metric a sample belongs to, as the exposition format names them. */
    public enum Type { COUNTER, GAUGE, SUMMARY }

    /** One metric value. */
    public record Sample(String name, Type type, String help, Map<String, String> labels, double value) {}

    /** Manager-wide sums that outlive groups removed on reload, so the summaries never go down. */
    static final class Totals {
        final LongAdder groupNanos = new LongAdder();
        final LongAdder groupEvaluations = new LongAdder();
        final LongAdder ruleNanos = new LongAdder();
        final LongAdder ruleEvaluations = new LongAdder();
    }

    static List<Sample> snapshot(List<RuleGroup> groups, Totals totals) {
        List<Sample> out = new ArrayList<>();
        double groupSum = totals.groupNanos.sum() / 1e9, groupCount = totals.groupEvaluations.sum();
        double ruleSum = totals.ruleNanos.sum() / 1e9, ruleCount = totals.ruleEvaluations.sum();
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
        out.add(new Sample("prometheus_rule_group_duration_seconds_sum", Type.SUMMARY,
                "The duration of rule group evaluations.", Map.of(), groupSum));
        out.add(new Sample("prometheus_rule_group_duration_seconds_count", Type.SUMMARY,
                "The duration of rule group evaluations.", Map.of(), groupCount));
        out.add(new Sample("prometheus_rule_evaluation_duration_seconds_sum", Type.SUMMARY,
                "The duration for a rule to execute.", Map.of(), ruleSum));
        out.add(new Sample("prometheus_rule_evaluation_duration_seconds_count", Type.SUMMARY,
                "The duration for a rule to execute.", Map.of(), ruleCount));
        return out;
    }
}
