package io.specula.model.histogram;

/**
 * An invalid histogram, or an operation two histograms cannot take part in together. The
 * messages are Prometheus's, because PromQL and the API show them to users.
 */
public final class HistogramException extends RuntimeException {
    /** Which of Prometheus's error kinds this is, for callers that branch on it. */
    public enum Kind {
        COUNT_NOT_BIG_ENOUGH("histogram's observation count should be at least the number of observations found in the buckets"),
        COUNT_MISMATCH("histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)"),
        NEGATIVE_COUNT("histogram's observation count is negative"),
        NEGATIVE_BUCKET_COUNT("histogram has a bucket whose observation count is negative"),
        SPAN_NEGATIVE_OFFSET("histogram has a span whose offset is negative"),
        SPANS_BUCKETS_MISMATCH("histogram spans specify different number of buckets than provided"),
        CUSTOM_BUCKETS_MISMATCH("histogram custom bounds are too few"),
        CUSTOM_BUCKETS_INVALID("histogram custom bounds must be in strictly increasing order"),
        CUSTOM_BUCKETS_INFINITE("histogram custom bounds must be finite"),
        CUSTOM_BUCKETS_NAN("histogram custom bounds must not be NaN"),
        INCOMPATIBLE_SCHEMA("cannot apply this operation on histograms with a mix of exponential and custom bucket schemas"),
        CUSTOM_BUCKETS_ZERO_COUNT("custom buckets: must have zero count of 0"),
        CUSTOM_BUCKETS_ZERO_THRESHOLD("custom buckets: must have zero threshold of 0"),
        CUSTOM_BUCKETS_NEGATIVE_SPANS("custom buckets: must not have negative spans"),
        CUSTOM_BUCKETS_NEGATIVE_BUCKETS("custom buckets: must not have negative buckets"),
        EXPONENTIAL_CUSTOM_BOUNDS("histogram with exponential schema must not have custom bounds"),
        INVALID_SCHEMA("histogram has an invalid schema, which must be between -4 and 8 for exponential buckets, or -53 for custom buckets"),
        UNKNOWN_SCHEMA("histogram has an unknown schema, which must be between -9 and 52 for exponential buckets, or -53 for custom buckets");

        /** The sentence Prometheus's error of this kind ends with. */
        public final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    private final Kind kind;

    HistogramException(Kind kind) {
        super(kind.text);
        this.kind = kind;
    }

    /** Prometheus's wrapped form: {@code "<detail>: <kind text>"}. */
    HistogramException(Kind kind, String detail) {
        super(detail + ": " + kind.text);
        this.kind = kind;
    }

    HistogramException(String message, Kind kind) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static HistogramException invalidSchema(int schema) {
        return new HistogramException(Kind.INVALID_SCHEMA.text + ", got schema " + schema, Kind.INVALID_SCHEMA);
    }

    static HistogramException unknownSchema(int schema) {
        return new HistogramException(Kind.UNKNOWN_SCHEMA.text + ", got schema " + schema, Kind.UNKNOWN_SCHEMA);
    }
}
