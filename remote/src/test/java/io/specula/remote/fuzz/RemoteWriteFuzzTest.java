package io.specula.remote.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.remote.HttpAnswer;
import io.specula.remote.RemoteWriteHandler;
import io.specula.remote.SnappyBlock;
import io.specula.tsdb.storage.Appender;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Remote write 1.0 and 2.0 request bodies from arbitrary bytes: the receiver answers 204, 400 or
 * 415 (or Prometheus's 500 for native histograms while they are off), never throws. The first
 * byte picks the protocol and whether the rest is sent Snappy-compressed (reaching the protobuf
 * decoders) or raw (reaching the Snappy decoder).
 */
class RemoteWriteFuzzTest {
    private static final String V1 = "application/x-protobuf;proto=prometheus.WriteRequest";
    private static final String V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

    /** Storage that takes everything, so that every decoded sample reaches the handler's own checks. */
    private static final class AcceptAll implements Appender {
        @Override
        public long append(long ref, Labels labels, long t, double v) {
            return 1;
        }

        @Override
        public long append(long ref, Labels labels, long st, long t, double v) {
            return 1;
        }

        @Override
        public long appendHistogram(long ref, Labels labels, long st, long t, Histogram h, FloatHistogram fh) {
            return 1;
        }

        @Override
        public void appendExemplar(long ref, Labels labels, Labels exemplarLabels, long t, double v) {}

        @Override
        public void commit() {}

        @Override
        public void rollback() {}
    }

    private final RemoteWriteHandler handler = new RemoteWriteHandler(AcceptAll::new);

    @FuzzTest(maxDuration = "10s")
    void handle(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int mode = data[0] & 3;
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        byte[] body = (mode & 2) == 0 ? SnappyBlock.encode(rest) : rest;
        HttpAnswer a = handler.handle((mode & 1) == 0 ? V1 : V2, "snappy", body);
        int s = a.status();
        String text = a.body() == null ? "" : new String(a.body(), StandardCharsets.UTF_8);
        boolean ok = s == 204 || s == 400 || s == 415; // histograms are stored, so no 500 either
        if (!ok) {
            throw new AssertionError("status " + s + ": " + text);
        }
    }
}
