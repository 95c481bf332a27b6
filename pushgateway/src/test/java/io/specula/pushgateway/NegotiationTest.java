package io.specula.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NegotiationTest {
    @Test
    void wantsProtobuf_byPreference() {
        assertThat(HttpFront.wantsProtobuf(null)).isFalse();
        assertThat(HttpFront.wantsProtobuf("*/*")).isFalse();
        // Prometheus with native histograms enabled.
        assertThat(HttpFront.wantsProtobuf("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.8,"
                + "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1")).isTrue();
        assertThat(HttpFront.wantsProtobuf("text/plain;version=0.0.4;q=0.9,application/vnd.google.protobuf;"
                + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5")).isFalse();
        assertThat(HttpFront.wantsProtobuf("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text")).isFalse();
    }
}
