package io.specula.rules;

import io.specula.model.labels.Labels;
import io.specula.promql.engine.Sample;
import io.specula.promql.parser.Printer;
import io.specula.rules.rulefmt.RuleSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recording or alerting rule of a {@link RuleGroup}, with the outcome of its last
 * evaluation. Evaluated by its group's thread only; the getters may be read from any thread.
 */
public abstract sealed class Rule permits RecordingRule, AlertingRule {
    final RuleSpec spec;
    final Labels labels;
    private final String query;
    private volatile RuleHealth health = RuleHealth.UNKNOWN;
    private volatile String lastError = "";
    private volatile long lastEvaluationMs;
    private volatile long evaluationNanos;
    /** Series written by the last evaluation, to mark stale those that vanish (group thread only). */
    Set<Labels> previousSeries = new HashSet<>();

    Rule(RuleSpec spec, Labels labels) {
        this.spec = spec;
        this.labels = labels;
        this.query = Printer.print(spec.expr());
    }

    /** The recording rule's metric name or the alerting rule's alert name. */
    public String name() {
        return spec.name();
    }

    /** The expression, printed as Prometheus prints it. */
    public String query() {
        return query;
    }

    /** The rule's labels (the group's labels merged in, the rule's own winning). */
    public Labels labels() {
        return labels;
    }

    public RuleSpec spec() {
        return spec;
    }

    public RuleHealth health() {
        return health;
    }

    /** The last evaluation's error, empty when it succeeded. */
    public String lastError() {
        return lastError;
    }

    /** Start of the last evaluation, Unix ms, 0 before the first. */
    public long lastEvaluationMs() {
        return lastEvaluationMs;
    }

    /** How long the last evaluation took. */
    public long evaluationNanos() {
        return evaluationNanos;
    }

    void recordOutcome(String error, long startMs, long nanos) {
        this.lastError = error == null ? "" : error;
        this.health = error == null ? RuleHealth.OK : RuleHealth.ERR;
        this.lastEvaluationMs = startMs;
        this.evaluationNanos = nanos;
    }

    void copyOutcome(Rule old) {
        this.health = old.health;
        this.lastError = old.lastError;
        this.lastEvaluationMs = old.lastEvaluationMs;
        this.evaluationNanos = old.evaluationNanos;
        this.previousSeries = old.previousSeries;
    }

    /**
     * Evaluates for the scheduled time {@code ts} and returns the samples to append. As in
     * Prometheus, the query runs and samples are written at {@code ts - queryOffsetMs}, while
     * alert state (activeAt, {@code for}) follows {@code ts}.
     *
     * @throws RuntimeException with the message that becomes {@link #lastError()}
     */
    abstract List<Sample> eval(long ts, long queryOffsetMs, EvalContext ctx, int limit);
}
