package io.specula.promql.parser;

/** The aggregation operators; {@link #hasParam} for those that take a first parameter. */
public enum AggregateOp {
    SUM("sum", false), AVG("avg", false), COUNT("count", false), MIN("min", false), MAX("max", false),
    GROUP("group", false), STDDEV("stddev", false), STDVAR("stdvar", false),
    TOPK("topk", true), BOTTOMK("bottomk", true), QUANTILE("quantile", true), COUNT_VALUES("count_values", true),
    LIMITK("limitk", true), LIMIT_RATIO("limit_ratio", true);

    public final String keyword;
    public final boolean hasParam;

    AggregateOp(String keyword, boolean hasParam) {
        this.keyword = keyword;
        this.hasParam = hasParam;
    }
}
