package io.specula.model.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.MetricType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What every {@link ExpositionWriter} must do, whatever its format; each format's test extends this. */
abstract class ExpositionWriterContract {

    abstract ExpositionFormat format();

    /** Writes a body touching every feature: all types, bounds, timestamps, exemplars, odd names. */
    private static void writeMixedBody(ExpositionWriter w, int series) throws IOException {
        Random rnd = new Random(42);
        Exemplar ex = new Exemplar();
        ex.labels = Labels.of("trace_id", "0af7651916cd43dd8448eb211c80319c");
        ex.value = 0.67;
        ex.hasTimestamp = true;
        ex.timestamp = 1700000000123L;
        w.family("requests_total", MetricType.COUNTER, "Requests \"served\"\nby \\ handler.", null);
        for (int i = 0; i < series; i++) {
            w.sample("requests_total", Labels.of("handler", "/api/" + i, "code", "2" + (i % 3) + "0"), i * 3, 1700000000000L + i, ex);
        }
        w.family("latency_seconds", MetricType.HISTOGRAM, "Latency.", "seconds");
        for (int i = 0; i < series; i++) {
            Labels l = Labels.of("pod", "pod-" + i);
            w.sample("latency_seconds_bucket", l, "le", 0.1, i, ExpositionWriter.NO_TIMESTAMP, ex);
            w.sample("latency_seconds_bucket", l, "le", Double.POSITIVE_INFINITY, i + 1);
            w.sample("latency_seconds_sum", l, rnd.nextDouble() * 1e7);
            w.sample("latency_seconds_count", l, i + 1);
        }
        w.family("my.gauge", null, null, null);
        for (int i = 0; i < series; i++) {
            w.sample("my.gauge", Labels.of("label.with.dots", "ü" + i), Double.longBitsToDouble(rnd.nextLong()));
        }
    }

    @Test
    void streamWriter_producesTheSameBytesAsBufferWriter_andFlushesEarly() throws IOException {
        ExpositionBuffer buf = new ExpositionBuffer(64);
        ExpositionWriter w = format().newWriter(buf);
        writeMixedBody(w, 2000);
        w.finish();

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ExpositionWriter s = format().newWriter(sink);
        writeMixedBody(s, 2000);
        int beforeFinish = sink.size();
        s.finish();

        assertThat(buf.size()).isGreaterThan(4 * ExpositionFormat.FLUSH_THRESHOLD);
        assertThat(beforeFinish).isGreaterThanOrEqualTo(ExpositionFormat.FLUSH_THRESHOLD);
        assertThat(sink.toByteArray()).isEqualTo(buf.toByteArray());
    }

    @Test
    void finish_forbidsFurtherCalls() throws IOException {
        ExpositionWriter w = format().newWriter(new ExpositionBuffer());
        w.finish();
        assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.sample("x", Labels.EMPTY, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.sample("x", Labels.EMPTY, "le", 1, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.family("x", MetricType.GAUGE, null, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void family_rejectsEmptyName() {
        ExpositionWriter w = format().newWriter(new ExpositionBuffer());
        assertThatThrownBy(() -> w.family("", MetricType.GAUGE, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sample_ignoresNameLabelAndKeepsLabelOrder() throws IOException {
        ExpositionBuffer buf = new ExpositionBuffer();
        ExpositionWriter w = format().newWriter(buf);
        w.sample("up", Labels.of("z", "1", "__name__", "other", "a", "2"), 1);
        assertThat(buf.toString()).startsWith("up{a=\"2\",z=\"1\"} ");
    }

    @Test
    void buffer_isReusableAcrossBodies() throws IOException {
        ExpositionBuffer buf = new ExpositionBuffer(16);
        ExpositionWriter first = format().newWriter(buf);
        writeMixedBody(first, 10);
        first.finish();
        byte[] expected = buf.toByteArray();
        buf.reset();
        ExpositionWriter second = format().newWriter(buf);
        writeMixedBody(second, 10);
        second.finish();
        assertThat(buf.toByteArray()).isEqualTo(expected);
        assertThat(new String(expected, StandardCharsets.UTF_8)).contains("{\"my.gauge\",\"label.with.dots\"=\"ü0\"}");
    }

    @Test
    void contentType_matchesFormat() {
        assertThat(format().newWriter(new ExpositionBuffer()).contentType()).isEqualTo(format().contentType());
    }
}
