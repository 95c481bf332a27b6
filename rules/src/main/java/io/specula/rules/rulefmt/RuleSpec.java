package io.specula.rules.rulefmt;

import io.specula.model.labels.Labels;
import io.specula.promql.parser.Expr;
import java.util.Map;

/**
 * A validated rule: a recording rule ({@link #alerting()} false, {@link #name()} is the
 * {@code record} name) or an alerting rule. Immutable.
 *
 * @param expr the parsed expression; {@code exprText} is what the file holds
 * @param holdMs the alerting rule's {@code for}, 0 when absent
 * @param keepFiringForMs the alerting rule's {@code keep_firing_for}, 0 when absent
 * @param labels the rule's labels (values may hold templates for alerting rules)
 * @param annotations the alerting rule's annotations, in file order
 */
public record RuleSpec(boolean alerting, String name, String exprText, Expr expr, long holdMs, long keepFiringForMs,
        Labels labels, Map<String, String> annotations) {
    public RuleSpec {
        annotations = Map.copyOf(annotations);
    }

    /**
     * The rule's definition as text (expression printed by the PromQL printer), for telling
     * whether a reload changed it.
     */
    public String identity() {
        return (alerting ? "alert: " : "record: ") + name + "\nexpr: " + io.specula.promql.parser.Printer.print(expr) + "\nfor: " + holdMs + "\nkeep: "
                + keepFiringForMs + "\nlabels: " + labels + "\nannotations: "
                + new java.util.TreeMap<>(annotations);
    }
}
