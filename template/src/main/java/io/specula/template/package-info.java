/**
 * Go's text/template language in Java, shared by Prometheus-style rule templates
 * (annotations, labels, consoles) and Alertmanager notification templates: one engine, two
 * function sets.
 *
 * <p>{@link io.specula.template.Template#parse} lexes ({@code Lexer}), parses ({@code Parser},
 * a tree of {@code Node} records) and returns an immutable, thread-safe template; each
 * execution runs a fresh {@code Executor} over the tree. {@link io.specula.template.FunctionSet}
 * holds Go's builtins plus {@link io.specula.template.PrometheusFunctions} or
 * {@link io.specula.template.AlertmanagerFunctions}. Values printed and compared follow Go:
 * {@code GoFmt} implements fmt's verbs, {@link io.specula.template.GoTime} and
 * {@link io.specula.template.GoDuration} stand in for time.Time and time.Duration. The data
 * model and the HTML mode's limits are described on {@link io.specula.template.Template}.
 */
package io.specula.template;
