package io.specula.promql.engine;

/**
 * Compensated (Kahan-Babuska-Neumaier) summation, which PromQL uses for sums and means so that
 * results match Prometheus to the last bit. {@link #inc} returns the new sum and leaves the new
 * compensation in {@link #c}.
 */
final class KahanSum {
    double sum, c;

    void reset() {
        sum = 0;
        c = 0;
    }

    void add(double v) {
        double t = sum + v;
        if (Double.isInfinite(t)) {
            c = 0;
        } else if (Math.abs(sum) >= Math.abs(v)) {
            c += (sum - t) + v;
        } else {
            c += (v - t) + sum;
        }
        sum = t;
    }

    double value() {
        return sum + c;
    }

    /** One compensated step on caller-held state: returns {@code {newSum, newC}} packed in {@code out}. */
    static void inc(double v, double sum, double c, double[] out) {
        double t = sum + v;
        if (Double.isInfinite(t)) {
            c = 0;
        } else if (Math.abs(sum) >= Math.abs(v)) {
            c += (sum - t) + v;
        } else {
            c += (v - t) + sum;
        }
        out[0] = t;
        out[1] = c;
    }
}
