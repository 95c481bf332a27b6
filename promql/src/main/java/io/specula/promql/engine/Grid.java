package io.specula.promql.engine;

/**
 * The evaluation times of one (sub)expression: {@code start + i*step} for {@code i < steps}.
 * The query has one grid; subqueries and step-invariant parts evaluate on their own.
 */
record Grid(long start, long end, long step, int steps) {
    static Grid of(long start, long end, long step) {
        int n = step <= 0 || end <= start ? 1 : (int) ((end - start) / step) + 1;
        return new Grid(start, start + (long) (n - 1) * Math.max(step, 0), step, n);
    }

    long time(int i) {
        return start + i * step;
    }
}
