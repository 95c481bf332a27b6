package io.specula.promql.engine;

/**
 * The outcome of {@link Query#exec()}: a value or an error, plus annotations and statistics.
 *
 * @param value the result, null when {@code error} is set
 * @param error the failure, null on success
 */
public record Result(Value value, QueryException error, Annotations annotations, QueryStats stats) {
    public boolean ok() {
        return error == null;
    }
}
