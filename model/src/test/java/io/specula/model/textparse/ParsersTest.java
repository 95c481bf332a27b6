package io.specula.model.textparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.textparse.Parsers.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Content-Type decisions of Prometheus 3's textparse.New, case by case. */
class ParsersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/openmetrics-text|OPENMETRICS_TEXT",
        "application/openmetrics-text; charset=utf-8|OPENMETRICS_TEXT",
        "application/openmetrics-text; version=1.0.0; charset=utf-8|OPENMETRICS_TEXT",
        "application/openmetrics-text;version=0.0.1|OPENMETRICS_TEXT",
        "text/plain|PROMETHEUS_TEXT",
        "text/plain; version=0.0.4|PROMETHEUS_TEXT",
        "text/plain; version=1.0.0; escaping=allow-utf-8|PROMETHEUS_TEXT",
        "Text/Plain; Version=\"0.0.4\"|PROMETHEUS_TEXT",
        "text/plain;|PROMETHEUS_TEXT",
        "' text/plain '|PROMETHEUS_TEXT",
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited|PROMETHEUS_PROTOBUF",
    })
    void choose_supportedMediaTypes_needNoFallback(String contentType, Format expected) throws Exception {
        Parsers.Choice c = Parsers.choose(contentType, null);
        assertThat(c.format()).isEqualTo(expected);
        assertThat(c.warning()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target",
        "invalid/|cannot parse Content-Type \"invalid/\" and no fallback_scrape_protocol for target: mime: expected token after slash",
        "invalid/invalid/invalid|cannot parse Content-Type \"invalid/invalid/invalid\" and no fallback_scrape_protocol for target: mime: unexpected content after media subtype",
        "/|cannot parse Content-Type \"/\" and no fallback_scrape_protocol for target: mime: no media type",
        "text plain|cannot parse Content-Type \"text plain\" and no fallback_scrape_protocol for target: mime: expected slash after first token",
        "application/openmetrics-text; charset=UTF-8; charset=utf-8|cannot parse Content-Type \"application/openmetrics-text; charset=UTF-8; charset=utf-8\" and no fallback_scrape_protocol for target: mime: duplicate parameter name",
        "text/plain; charset|cannot parse Content-Type \"text/plain; charset\" and no fallback_scrape_protocol for target: mime: invalid media parameter",
        "text/plain; charset=\"utf-8|cannot parse Content-Type \"text/plain; charset=\\\"utf-8\" and no fallback_scrape_protocol for target: mime: invalid media parameter",
        "text/html|received unsupported Content-Type \"text/html\" and no fallback_scrape_protocol specified for target",
        "text|received unsupported Content-Type \"text\" and no fallback_scrape_protocol specified for target",
    })
    void choose_unusableWithoutFallback_failsNamingTheContentType(String contentType, String message) {
        assertThatThrownBy(() -> Parsers.choose(contentType, null))
                .isInstanceOf(UnsupportedContentTypeException.class)
                .hasMessage(message);
    }

    @Test
    void choose_nullContentType_isBlank() {
        assertThatThrownBy(() -> Parsers.choose(null, null)).hasMessageContaining("blank Content-Type");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|PROMETHEUS_TEXT_0_0_4|PROMETHEUS_TEXT|non-compliant scrape target sending blank Content-Type, using fallback_scrape_protocol \"PrometheusText0.0.4\"",
        "invalid/|PROMETHEUS_TEXT_0_0_4|PROMETHEUS_TEXT|could not parse received Content-Type \"invalid/\", using fallback_scrape_protocol \"PrometheusText0.0.4\": mime: expected token after slash",
        "invalid/|OPENMETRICS_TEXT_0_0_1|OPENMETRICS_TEXT|could not parse received Content-Type \"invalid/\", using fallback_scrape_protocol \"OpenMetricsText0.0.1\": mime: expected token after slash",
        "invalid/|PROMETHEUS_PROTO|PROMETHEUS_PROTOBUF|could not parse received Content-Type \"invalid/\", using fallback_scrape_protocol \"PrometheusProto\": mime: expected token after slash",
        "/|PROMETHEUS_TEXT_1_0_0|PROMETHEUS_TEXT|could not parse received Content-Type \"/\", using fallback_scrape_protocol \"PrometheusText1.0.0\": mime: no media type",
        "application/openmetrics-text; charset=UTF-8; charset=utf-8|OPENMETRICS_TEXT_1_0_0|OPENMETRICS_TEXT|could not parse received Content-Type \"application/openmetrics-text; charset=UTF-8; charset=utf-8\", using fallback_scrape_protocol \"OpenMetricsText1.0.0\": mime: duplicate parameter name",
        "text/html|PROMETHEUS_TEXT_0_0_4|PROMETHEUS_TEXT|received unsupported Content-Type \"text/html\", using fallback_scrape_protocol \"PrometheusText0.0.4\"",
    })
    void choose_unusableWithFallback_usesTheFallbackAndWarns(String contentType, ScrapeProtocol fallback, Format expected,
            String warning) throws Exception {
        Parsers.Choice c = Parsers.choose(contentType, fallback);
        assertThat(c.format()).isEqualTo(expected);
        assertThat(c.warning()).isEqualTo(warning);
    }

    @Test
    void choose_usableContentType_ignoresTheFallback() throws Exception {
        Parsers.Choice c = Parsers.choose("text/plain", ScrapeProtocol.OPENMETRICS_TEXT_1_0_0);
        assertThat(c.format()).isEqualTo(Format.PROMETHEUS_TEXT);
        assertThat(c.warning()).isNull();
    }

    @Test
    void forContentType_createsTheMatchingParser() throws Exception {
        byte[] b = "a 1\n".getBytes();
        assertThat(Parsers.forContentType("text/plain; version=0.0.4", null, b, 0, b.length)).isInstanceOf(PromTextParser.class);
        assertThat(Parsers.forContentType("application/openmetrics-text", null, b, 0, b.length)).isInstanceOf(OpenMetricsParser.class);
        assertThat(Parsers.forContentType("", ScrapeProtocol.OPENMETRICS_TEXT_1_0_0, b, 0, b.length)).isInstanceOf(OpenMetricsParser.class);
        assertThat(Parsers.text(b, 0, b.length)).isInstanceOf(PromTextParser.class);
        assertThat(Parsers.openMetrics(b, 0, b.length)).isInstanceOf(OpenMetricsParser.class);
    }

    @Test
    void create_protobuf_isNotSupportedYet() {
        byte[] b = new byte[0];
        assertThatThrownBy(() -> Parsers.forContentType("application/vnd.google.protobuf", null, b, 0, 0))
                .isInstanceOf(UnsupportedContentTypeException.class)
                .hasMessageContaining("not supported yet");
        assertThatThrownBy(() -> Parsers.forContentType("text/html", ScrapeProtocol.PROMETHEUS_PROTO, b, 0, 0))
                .isInstanceOf(UnsupportedContentTypeException.class)
                .hasMessageContaining("not supported yet");
    }

    @Test
    void scrapeProtocol_configNames_roundTrip() {
        for (ScrapeProtocol p : ScrapeProtocol.values()) {
            assertThat(ScrapeProtocol.fromConfigName(p.configName())).isSameAs(p);
        }
        assertThat(ScrapeProtocol.PROMETHEUS_TEXT_1_0_0.configName()).isEqualTo("PrometheusText1.0.0");
        assertThatThrownBy(() -> ScrapeProtocol.fromConfigName("prometheustext0.0.4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown scrape protocol prometheustext0.0.4, supported: [OpenMetricsText0.0.1 OpenMetricsText1.0.0 "
                        + "PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0]");
    }
}
