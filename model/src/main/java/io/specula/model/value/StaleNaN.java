package io.specula.model.value;

/**
 * The staleness marker: a NaN with a payload Prometheus reserves, appended when a series
 * disappears from its target or the target goes away. PromQL treats a series whose latest sample
 * is this marker as gone; the ordinary NaN a target may expose has a different payload.
 */
public final class StaleNaN {
    private StaleNaN() {}

    /** The bit pattern of Prometheus's {@code value.StaleNaN}. */
    public static final long BITS = 0x7ff0000000000002L;

    public static final double VALUE = Double.longBitsToDouble(BITS);

    /** Whether {@code v} is the staleness marker (compared by bits: every NaN is unequal to itself). */
    public static boolean is(double v) {
        return Double.doubleToRawLongBits(v) == BITS;
    }
}
