package io.specula.model.histogram;

/**
 * What a histogram sample says about counter resets, as Prometheus's {@code CounterResetHint}
 * numbers it (the numbers appear in WAL records and remote write).
 */
public final class CounterResetHint {
    private CounterResetHint() {}

    /** Nothing known: a reader compares with the previous sample to find out. */
    public static final int UNKNOWN = 0;
    /** The counter was reset just before this sample. */
    public static final int COUNTER_RESET = 1;
    /** No reset since the previous sample. */
    public static final int NOT_COUNTER_RESET = 2;
    /** A gauge histogram: counts may go down, there are no resets. */
    public static final int GAUGE = 3;

    /** Prometheus's name, for messages and test output. */
    public static String name(int hint) {
        return switch (hint) {
            case UNKNOWN -> "unknown";
            case COUNTER_RESET -> "reset";
            case NOT_COUNTER_RESET -> "not_reset";
            case GAUGE -> "gauge";
            default -> "<hint " + hint + ">";
        };
    }
}
