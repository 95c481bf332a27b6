package io.specula.promql.engine;

/** The staleness marker: a NaN with a fixed bit pattern that ends a series at its timestamp. */
public final class Stale {
    /** The raw bits Prometheus writes for a staleness marker. */
    public static final long STALE_NAN_BITS = 0x7FF0000000000002L;
    public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

    private Stale() {}

    public static boolean isStale(double v) {
        return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }
}
