package io.specula.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.web.api.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The JSON writer produces Go's bytes: Prometheus's float and timestamp layouts and Go's escaping. */
class ApiJsonTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 0", "-0.0, -0", "1, 1", "1.5, 1.5", "100, 100", "0.1, 0.1", "0.000001, 0.000001", "1e-7, 1e-07",
        "1.5e-7, 1.5e-07", "123456789, 123456789", "1e20, 100000000000000000000", "1e21, 1e+21", "1.25e22, 1.25e+22",
        "-2.5, -2.5", "0.3, 0.3", "1e-300, 1e-300", "12345.678, 12345.678", "1.7976931348623157e308, 1.7976931348623157e+308",
        "0.00001234, 0.00001234", "0.014637, 0.014637", "-0.0028290000000000004, -0.0028290000000000004",
        "0.04622222222222222, 0.04622222222222222", "5e-324, 5e-324", "NaN, NaN", "Infinity, +Inf", "-Infinity, -Inf",
    })
    void sampleValue_prometheusLayout(double v, String expected) {
        assertThat(new Json().sampleValue(v).toString()).isEqualTo("\"" + expected + "\"");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1e-7, 0.0000001", "1e21, 1000000000000000000000", "1.5e-10, 0.00000000015", "-2.5, -2.5", "0.1, 0.1"})
    void scalarValue_alwaysPlain(double v, String expected) {
        assertThat(new Json().scalarValue(v).toString()).isEqualTo("\"" + expected + "\"");
    }

    @Test
    void number_encodingJsonExponent() {
        assertThat(new Json().number(1e-7).toString()).isEqualTo("1e-7");
        assertThat(new Json().number(0.000108132).toString()).isEqualTo("0.000108132");
        assertThat(new Json().number(Double.NaN).toString()).isEqualTo("null");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1700000060000, 1700000060", "1700000060120, 1700000060.12", "1700000060005, 1700000060.005",
            "1700000060100, 1700000060.1", "-1500, -1.5", "0, 0"})
    void timestamp_secondsWithTrimmedFraction(long ms, String expected) {
        assertThat(new Json().timestamp(ms).toString()).isEqualTo(expected);
    }

    @Test
    void strings_goEscaping() {
        Json j = new Json().beginObject().name("a<b").value("x&y>\"\\\n\t\u0001\u2028😀\ud800").endObject();
        assertThat(j.toString()).isEqualTo("{\"a\\u003cb\":\"x\\u0026y\\u003e\\\"\\\\\\n\\t\\u0001\\u2028😀\\ufffd\"}");
    }

    @Test
    void envelope_atMostTenAnnotationsEachThenCount() {
        java.util.List<String> w = new java.util.ArrayList<>();
        for (int i = 0; i < 13; i++) {
            w.add("w" + i);
        }
        String json = io.specula.web.api.ApiV1.renderForTest(
                new io.specula.web.api.Reply(j -> j.value(1), w, java.util.List.of("i")));
        assertThat(json).isEqualTo("{\"status\":\"success\",\"data\":1,\"warnings\":[\"w0\",\"w1\",\"w2\",\"w3\",\"w4\","
                + "\"w5\",\"w6\",\"w7\",\"w8\",\"w9\",\"3 more warning annotations omitted\"],\"infos\":[\"i\"]}");
    }

    @Test
    void nesting_commasBetweenMembersAndElements() {
        Json j = new Json().beginObject().name("a").beginArray().value(1).value("b").beginObject().endObject().endArray()
                .name("l").labels(Labels.of("__name__", "up", "job", "x")).name("e").strings(java.util.List.of()).endObject();
        assertThat(j.toString()).isEqualTo("{\"a\":[1,\"b\",{}],\"l\":{\"__name__\":\"up\",\"job\":\"x\"},\"e\":[]}");
    }
}
