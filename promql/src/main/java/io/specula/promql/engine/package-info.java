/**
 * The PromQL engine: Prometheus 3.x query semantics over the storage API.
 *
 * <p>Entry point: {@link io.specula.promql.engine.Engine} ({@code instantQuery},
 * {@code rangeQuery}) returning a {@link io.specula.promql.engine.Query} whose
 * {@link io.specula.promql.engine.Query#exec()} yields a {@link io.specula.promql.engine.Result}:
 * a {@link io.specula.promql.engine.Value} or a {@link io.specula.promql.engine.QueryException}
 * (with the HTTP API's error type), plus {@link io.specula.promql.engine.Annotations} and
 * {@link io.specula.promql.engine.QueryStats}.
 *
 * <p>How evaluation works (column-oriented; an instant query is a range query of one step):
 * <ul>
 *   <li>{@code Preparer} resolves duration expressions and {@code @ start()/end()}, and wraps
 *       the largest step-invariant subtrees so they are evaluated at one step and copied.</li>
 *   <li>{@code Evaluator} evaluates every node over all steps of its {@code Grid} at once. An
 *       instant vector is a list of {@code StepSeries}: labels computed once, a
 *       {@code double[]} of values per step and presence bits (NaN is a value).</li>
 *   <li>Selectors read each series' samples once ({@code SeriesLoader}); instant selectors
 *       walk the steps with one index (lookback, staleness); range selectors stream each series
 *       to the range function, which slides a two-index window over the steps
 *       ({@code FunctionCalls}, {@code RangeFunctions}, {@code ExtendedWindow} for
 *       {@code anchored}/{@code smoothed}). Subqueries evaluate their inner expression on an
 *       epoch-aligned grid of their own and feed range functions the same way.</li>
 *   <li>Operators are one class per family: {@code Aggregation} and {@code Selection}
 *       (group keys once per series, accumulation over flat primitive arrays),
 *       {@code BinaryOperation} and {@code VectorMatch} (signatures and result labels once per
 *       series or pair), {@code InstantFunctions}, {@code LabelFunctions},
 *       {@code HistogramQuantile} (classic {@code le} buckets), {@code InfoFunction}.</li>
 *   <li>With delayed name removal, functions only flag {@code __name__} for removal; it is
 *       dropped (with {@code __type__}/{@code __unit__}) when the query finishes, and series
 *       that then collide fail with "vector cannot contain metrics with the same labelset".</li>
 *   <li>Limits: {@code QueryContext} checks cancellation and the deadline inside the loops,
 *       and the sample limit before operators allocate: every per-step array is reserved
 *       ({@code QueryContext.reserve}) against {@code --query.max-samples} and, with all
 *       running queries, against the engine's {@code MemoryBudget} (a quarter of the heap);
 *       the {@code Engine} gates concurrency.</li>
 * </ul>
 * Native histograms are not supported: histogram samples are neither stored nor evaluated.
 */
package io.specula.promql.engine;
