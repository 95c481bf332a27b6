/**
 * PromQL's syntax: lexer, parser, type checker, AST, printer, and the series notation of
 * Prometheus's test scripts.
 *
 * <p>Entry points: {@link io.specula.promql.parser.PromQLParser#parse} (a query, with the
 * experimental features of {@link io.specula.promql.parser.ParserOptions}),
 * {@link io.specula.promql.parser.PromQLParser#parseMetricSelector} ({@code match[]}),
 * {@link io.specula.promql.parser.PromQLParser#parseMetric} (a label set),
 * {@link io.specula.promql.parser.Printer#print} (the canonical form) and
 * {@link io.specula.promql.parser.SeriesDescription#parse} (a {@code load} or expected-result line).
 * Errors are {@link io.specula.promql.parser.ParseException}s whose messages read as
 * Prometheus's ({@code 1:5: parse error: ...}).
 *
 * <p>Facts about the tree the engine relies on:
 * <ul>
 *   <li>A {@link io.specula.promql.parser.VectorSelector}'s matchers are the written ones in
 *       order, then {@code __name__="name"} when a name was written before the braces.</li>
 *   <li>{@link io.specula.promql.parser.BinaryExpr#matching()} is null unless both sides are
 *       instant vectors; set operators without a clause are {@code MANY_TO_MANY}.</li>
 *   <li>{@code -1} is a negative {@link io.specula.promql.parser.NumberLiteral}, not a unary
 *       expression; durations ({@code 5m}) are number literals in seconds.</li>
 *   <li>Ranges, steps and offsets are in ms; when written as duration arithmetic the
 *       {@code …Expr} field holds the {@link io.specula.promql.parser.DurationExpr} and the ms
 *       field is 0 until the engine evaluates it. {@code step()}, {@code range()},
 *       {@code start()}, {@code end()}, {@code min_of()} and {@code max_of()} may also stand
 *       alone as scalar expressions (Prometheus 3.14).</li>
 *   <li>Strings are Go strings: a byte that is not valid UTF-8 ({@code "\xff"}) is kept as
 *       the lone surrogate {@code U+DC00+byte}, so label-name validation rejects it.</li>
 * </ul>
 */
package io.specula.promql.parser;
