package io.specula.remote;

import com.google.protobuf.InvalidProtocolBufferException;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.Spans;
import io.specula.remote.prompb.Prompb;
import io.specula.remote.writev2.WriteV2;
import java.util.List;

/**
 * Decodes a remote-write {@code Histogram} message into the model's {@link Histogram} (integer
 * counts: {@code count_int}, bucket deltas) or {@link FloatHistogram} ({@code count_float},
 * absolute bucket counts), custom-bucket bounds included. The 1.0 ({@code prometheus.Histogram})
 * and 2.0 ({@code io.prometheus.write.v2.Histogram}) messages have the same fields and wire form,
 * so a 2.0 one is read through the 1.0 type: one decoder for both. Validation is left to the
 * appender, which answers with Prometheus's messages.
 */
public final class HistogramProto {
    private HistogramProto() {}

    /** A 2.0 histogram as the (wire-identical) 1.0 message. */
    static Prompb.Histogram fromV2(WriteV2.Histogram h) {
        try {
            return Prompb.Histogram.parseFrom(h.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("2.0 and 1.0 histogram messages must share their wire form", e);
        }
    }

    /** Whether the message carries float counts (its {@code count} oneof is {@code count_float}). */
    public static boolean isFloat(Prompb.Histogram p) {
        return p.hasCountFloat();
    }

    /**
     * The integer histogram of a {@code count_int} message.
     *
     * @throws BadMessageException for a span length beyond Java's array range
     */
    public static Histogram toHistogram(Prompb.Histogram p) throws BadMessageException {
        Histogram h = new Histogram();
        h.counterResetHint = p.getResetHintValue();
        h.schema = p.getSchema();
        h.zeroThreshold = p.getZeroThreshold();
        h.zeroCount = p.getZeroCountInt();
        h.count = p.getCountInt();
        h.sum = p.getSum();
        h.negativeSpans = spans(p.getNegativeSpansList());
        h.positiveSpans = spans(p.getPositiveSpansList());
        h.negativeBuckets = longs(p.getNegativeDeltasList());
        h.positiveBuckets = longs(p.getPositiveDeltasList());
        h.customValues = doubles(p.getCustomValuesList());
        return h;
    }

    /**
     * The float histogram of a {@code count_float} message.
     *
     * @throws BadMessageException for a span length beyond Java's array range
     */
    public static FloatHistogram toFloatHistogram(Prompb.Histogram p) throws BadMessageException {
        FloatHistogram f = new FloatHistogram();
        f.counterResetHint = p.getResetHintValue();
        f.schema = p.getSchema();
        f.zeroThreshold = p.getZeroThreshold();
        f.zeroCount = p.getZeroCountFloat();
        f.count = p.getCountFloat();
        f.sum = p.getSum();
        f.negativeSpans = spans(p.getNegativeSpansList());
        f.positiveSpans = spans(p.getPositiveSpansList());
        f.negativeBuckets = doubles(p.getNegativeCountsList());
        f.positiveBuckets = doubles(p.getPositiveCountsList());
        f.customValues = doubles(p.getCustomValuesList());
        return f;
    }

    private static int[] spans(List<Prompb.BucketSpan> l) throws BadMessageException {
        if (l.isEmpty()) {
            return Spans.NONE;
        }
        int[] out = new int[l.size() * 2];
        for (int i = 0; i < l.size(); i++) {
            Prompb.BucketSpan s = l.get(i);
            if (s.getLength() < 0) { // a uint32 above 2^31-1: more buckets than any message can hold
                throw new BadMessageException("histogram span length " + Integer.toUnsignedString(s.getLength()) + " is too large");
            }
            out[2 * i] = s.getOffset();
            out[2 * i + 1] = s.getLength();
        }
        return out;
    }

    private static long[] longs(List<Long> l) {
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i);
        }
        return out;
    }

    private static double[] doubles(List<Double> l) {
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i);
        }
        return out;
    }
}
