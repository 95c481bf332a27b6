package io.specula.promql.parser;

import static io.specula.promql.parser.ValueKind.MATRIX;
import static io.specula.promql.parser.ValueKind.SCALAR;
import static io.specula.promql.parser.ValueKind.STRING;
import static io.specula.promql.parser.ValueKind.VECTOR;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every function of Prometheus 3.x's PromQL with its signature, as the parser checks calls.
 * The duration-expression helpers ({@code step()}, {@code range()}, {@code min_of},
 * {@code max_of}) and the {@code @} preprocessors ({@code start()}, {@code end()}) are syntax,
 * not functions, and are not listed.
 */
public final class Functions {
    private static final Map<String, Function> TABLE;

    static {
        Map<String, Function> m = new TreeMap<>();
        // Math on instant vectors.
        for (String name : List.of("abs", "ceil", "exp", "floor", "ln", "log2", "log10", "sgn", "sqrt",
                "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                "deg", "rad", "absent", "sort", "sort_desc", "timestamp",
                "histogram_avg", "histogram_count", "histogram_sum", "histogram_stddev", "histogram_stdvar")) {
            put(m, name, List.of(VECTOR), 0, VECTOR, false);
        }
        // Functions over range vectors.
        for (String name : List.of("absent_over_time", "avg_over_time", "changes", "count_over_time", "delta",
                "deriv", "idelta", "increase", "irate", "last_over_time", "max_over_time", "min_over_time",
                "present_over_time", "rate", "resets", "stddev_over_time", "stdvar_over_time", "sum_over_time")) {
            put(m, name, List.of(MATRIX), 0, VECTOR, false);
        }
        for (String name : List.of("first_over_time", "mad_over_time", "ts_of_first_over_time",
                "ts_of_last_over_time", "ts_of_max_over_time", "ts_of_min_over_time")) {
            put(m, name, List.of(MATRIX), 0, VECTOR, true);
        }
        // Date functions: the vector argument defaults to vector(time()).
        for (String name : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
                "month", "year")) {
            put(m, name, List.of(VECTOR), 1, VECTOR, false);
        }
        put(m, "clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR, false);
        put(m, "clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR, false);
        put(m, "clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR, false);
        put(m, "double_exponential_smoothing", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR, true);
        put(m, "histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR, false);
        put(m, "histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR, false);
        // One to ten quantiles: the last declared scalar is optional, nine more may follow.
        put(m, "histogram_quantiles", List.of(VECTOR, STRING, SCALAR, SCALAR), 9, VECTOR, true);
        put(m, "info", List.of(VECTOR, VECTOR), 1, VECTOR, true);
        put(m, "label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR, false);
        put(m, "label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR, false);
        put(m, "pi", List.of(), 0, SCALAR, false);
        put(m, "predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR, false);
        put(m, "quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR, false);
        put(m, "round", List.of(VECTOR, SCALAR), 1, VECTOR, false);
        put(m, "scalar", List.of(VECTOR), 0, SCALAR, false);
        put(m, "sort_by_label", List.of(VECTOR, STRING), -1, VECTOR, true);
        put(m, "sort_by_label_desc", List.of(VECTOR, STRING), -1, VECTOR, true);
        put(m, "start_timestamp", List.of(VECTOR), 0, VECTOR, true);
        put(m, "time", List.of(), 0, SCALAR, false);
        put(m, "vector", List.of(SCALAR), 0, VECTOR, false);
        TABLE = Collections.unmodifiableMap(m);
    }

    private Functions() {
    }

    private static void put(Map<String, Function> m, String name, List<ValueKind> args, int variadic,
            ValueKind ret, boolean experimental) {
        m.put(name, new Function(name, args, variadic, ret, experimental));
    }

    /** The function named {@code name} (case-sensitive), or null. */
    public static Function get(String name) {
        return TABLE.get(name);
    }

    /** All functions, sorted by name. */
    public static Collection<Function> all() {
        return TABLE.values();
    }
}
