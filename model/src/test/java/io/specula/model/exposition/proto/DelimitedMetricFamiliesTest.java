package io.specula.model.exposition.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelimitedMetricFamiliesTest {

    private static MetricFamily nativeHistogram() {
        return MetricFamily.newBuilder().setName("rpc_seconds").setHelp("h").setType(MetricType.HISTOGRAM)
                .addMetric(Metric.newBuilder().addLabel(LabelPair.newBuilder().setName("a").setValue("b"))
                        .setHistogram(Histogram.newBuilder().setSampleCount(3).setSampleSum(1.5).setSchema(-1).setZeroThreshold(1e-128)
                                .setZeroCount(1).addPositiveSpan(BucketSpan.newBuilder().setOffset(-2).setLength(2))
                                .addPositiveDelta(1).addPositiveDelta(-1)))
                .build();
    }

    @Test
    void roundTrip_severalFamilies() throws IOException {
        MetricFamily g = MetricFamily.newBuilder().setName("g").setType(MetricType.GAUGE)
                .addMetric(Metric.newBuilder().setGauge(Gauge.newBuilder().setValue(2))).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DelimitedMetricFamilies.write(nativeHistogram(), out);
        DelimitedMetricFamilies.write(g, out);
        List<MetricFamily> back = DelimitedMetricFamilies.readAll(new ByteArrayInputStream(out.toByteArray()), 1 << 20);
        assertThat(back).containsExactly(nativeHistogram(), g);
    }

    @Test
    void wireFormat_fieldNumbersAsTheExpositionFormat() throws IOException {
        // name = field 1 (tag 0x0a), type = field 3 (tag 0x18), metric = field 4 (tag 0x22); gauge = Metric field 2 (0x12).
        MetricFamily g = MetricFamily.newBuilder().setName("g").setType(MetricType.GAUGE)
                .addMetric(Metric.newBuilder().setGauge(Gauge.newBuilder().setValue(0))).build();
        // Gauge.value = field 1, fixed64 (tag 0x09).
        assertThat(g.toByteArray()).containsExactly(0x0a, 1, 'g', 0x18, 1, 0x22, 11, 0x12, 9, 0x09, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void truncatedOrOversized_refused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DelimitedMetricFamilies.write(nativeHistogram(), out);
        byte[] all = out.toByteArray();
        assertThatThrownBy(() -> DelimitedMetricFamilies.readAll(new ByteArrayInputStream(Arrays.copyOf(all, all.length - 1)), 1 << 20))
                .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> DelimitedMetricFamilies.readAll(new ByteArrayInputStream(all), 4))
                .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("exceeds the limit");
        // A length prefix of 2^62 is refused before anything is allocated for it.
        byte[] huge = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40};
        assertThatThrownBy(() -> DelimitedMetricFamilies.readAll(new ByteArrayInputStream(huge), 1 << 20))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }
}
