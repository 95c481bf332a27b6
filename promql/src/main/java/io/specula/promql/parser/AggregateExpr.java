package io.specula.promql.parser;

import java.util.List;

/**
 * {@code op [by|without (labels)] ([param,] expr)}.
 *
 * @param param the parameter of topk/bottomk/quantile/count_values/limitk/limit_ratio, else null
 * @param grouping the labels of {@code by}/{@code without}, empty when absent
 * @param without true for {@code without}, false for {@code by} or no clause
 */
public record AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without,
        PositionRange position) implements Expr {
    public AggregateExpr {
        grouping = List.copyOf(grouping);
    }

    @Override
    public ValueKind type() {
        return ValueKind.VECTOR;
    }
}
