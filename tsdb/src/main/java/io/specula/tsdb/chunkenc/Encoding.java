package io.specula.tsdb.chunkenc;

/**
 * Chunk encoding identifiers: the one-byte {@code encoding} field of block chunk segments and
 * head chunk files. The numeric values are Prometheus's, so files are interchangeable.
 * All three of Prometheus's encodings are implemented ({@link #isDecodable}) and the head
 * appends, m-maps and replays all three ({@link #isSupported}).
 */
public final class Encoding {
    private Encoding() {}

    /** No encoding; never written to disk. */
    public static final int NONE = 0;
    /** Gorilla-style float samples: delta-of-delta timestamps and XOR'ed values ({@link XorChunk}). */
    public static final int XOR = 1;
    /** Integer native histograms ({@link HistogramChunk}). */
    public static final int HISTOGRAM = 2;
    /** Float native histograms ({@link FloatHistogramChunk}). */
    public static final int FLOAT_HISTOGRAM = 3;

    /** Whether {@code encoding} is an id Prometheus defines (decodable or not). */
    public static boolean isKnown(int encoding) {
        return encoding >= XOR && encoding <= FLOAT_HISTOGRAM;
    }

    /**
     * Whether the head can take chunks of {@code encoding} (append, m-map, replay): all three.
     * Readers of blocks use {@link #isDecodable}.
     */
    public static boolean isSupported(int encoding) {
        return encoding >= XOR && encoding <= FLOAT_HISTOGRAM;
    }

    /** Whether {@link Chunk#fromData} can decode chunks of {@code encoding}. */
    public static boolean isDecodable(int encoding) {
        return encoding >= XOR && encoding <= FLOAT_HISTOGRAM;
    }

    /** Prometheus's name of the encoding ("XOR", "histogram", ...), for messages. */
    public static String name(int encoding) {
        return switch (encoding) {
            case NONE -> "none";
            case XOR -> "XOR";
            case HISTOGRAM -> "histogram";
            case FLOAT_HISTOGRAM -> "floathistogram";
            default -> "<unknown " + encoding + ">";
        };
    }
}
