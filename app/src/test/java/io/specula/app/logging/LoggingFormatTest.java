package io.specula.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

class LoggingFormatTest {

    private static LoggingEvent event(String msg) {
        Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.specula.scrape.ScrapeLoop");
        LoggingEvent e = new LoggingEvent("fqcn", logger, Level.WARN, msg, null, null);
        e.setTimeStamp(1_700_000_000_123L);
        e.addKeyValuePair(new KeyValuePair("target", "http://a:9100/metrics"));
        e.addKeyValuePair(new KeyValuePair("err", "connection refused"));
        return e;
    }

    @Test
    void logfmt_quotesOnlyWhenNeeded() {
        String line = new LogfmtLayout().doLayout(event("Scrape failed"));
        assertThat(line).isEqualTo("time=2023-11-14T22:13:20.123Z level=WARN source=ScrapeLoop msg=\"Scrape failed\""
                + " target=http://a:9100/metrics err=\"connection refused\"\n");
    }

    @Test
    void logfmt_escapesQuotesAndNewlines() {
        StringBuilder sb = new StringBuilder();
        LogfmtLayout.value(sb, "a \"b\"\nc");
        assertThat(sb.toString()).isEqualTo("\"a \\\"b\\\"\\nc\"");
        sb.setLength(0);
        LogfmtLayout.value(sb, "");
        assertThat(sb.toString()).isEqualTo("\"\"");
    }

    @Test
    void json_isOneObjectPerLine() {
        String line = new JsonLayout().doLayout(event("Scrape \"failed\""));
        assertThat(line).isEqualTo("{\"time\":\"2023-11-14T22:13:20.123Z\",\"level\":\"WARN\",\"source\":\"ScrapeLoop\","
                + "\"msg\":\"Scrape \\\"failed\\\"\",\"target\":\"http://a:9100/metrics\",\"err\":\"connection refused\"}\n");
    }
}
