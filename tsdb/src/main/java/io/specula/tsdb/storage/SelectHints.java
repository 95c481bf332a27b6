package io.specula.tsdb.storage;

/**
 * What the query engine knows about a selection, so storage can skip work: the range that
 * really matters, the step, and the function that will consume the samples.
 *
 * @param start first timestamp needed, in ms
 * @param end last timestamp needed, in ms
 * @param step query step in ms (0 for instant queries)
 * @param function the enclosing function name, e.g. {@code rate}, or null
 * @param range the range of a range selector in ms (0 otherwise)
 */
public record SelectHints(long start, long end, long step, String function, long range) {}
