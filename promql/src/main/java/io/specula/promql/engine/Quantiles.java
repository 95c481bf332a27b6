package io.specula.promql.engine;

/** PromQL's quantile: linear interpolation between the closest ranks of sorted values. */
final class Quantiles {
    private Quantiles() {}

    /** Sorts ascending with NaNs first, the order Prometheus's quantile sees. */
    static void sortNaNFirst(double[] a, int n) {
        java.util.Arrays.sort(a, 0, n);
        int nans = 0;
        while (nans < n && Double.isNaN(a[n - 1 - nans])) {
            nans++;
        }
        if (nans > 0 && nans < n) {
            System.arraycopy(a, 0, a, nans, n - nans);
            for (int i = 0; i < nans; i++) {
                a[i] = Double.NaN;
            }
        }
    }

    /** {@code sorted[0..n)} as left by {@link #sortNaNFirst}. */
    static double quantile(double q, double[] sorted, int n) {
        if (n == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        double rank = q * (n - 1);
        int lower = (int) Math.max(0, Math.floor(rank));
        int upper = (int) Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return sorted[lower] * (1 - weight) + sorted[upper] * weight;
    }
}
