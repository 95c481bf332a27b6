package io.specula.template;

import java.util.List;

/**
 * Runs an instant PromQL query for the {@code query} template function; the rules module
 * implements it over the engine. A range-vector or scalar result is an error, as in
 * Prometheus (whose message the implementation should reuse). Must be thread-safe.
 */
@FunctionalInterface
public interface QueryFunction {
    /**
     * @param expr the PromQL expression
     * @param timestampMillis the evaluation time (the rule's evaluation timestamp)
     * @return the instant vector's samples, labels including {@code __name__}
     * @throws Exception reported as {@code error calling query: <message>}
     */
    List<QuerySample> query(String expr, long timestampMillis) throws Exception;
}
