package io.specula.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import org.slf4j.event.KeyValuePair;

/** {@code {"time":"…","level":"INFO","source":"Scrape","msg":"…","key":"value"}}, one object per line. */
final class JsonLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(160).append('{');
        field(sb, "time", LogfmtLayout.TIME.format(Instant.ofEpochMilli(e.getTimeStamp())));
        sb.append(',');
        field(sb, "level", e.getLevel().toString());
        sb.append(',');
        field(sb, "source", LogfmtLayout.source(e.getLoggerName()));
        sb.append(',');
        field(sb, "msg", e.getFormattedMessage());
        if (e.getKeyValuePairs() != null) {
            for (KeyValuePair kv : e.getKeyValuePairs()) {
                sb.append(',');
                field(sb, kv.key, String.valueOf(kv.value));
            }
        }
        if (e.getThrowableProxy() != null) {
            sb.append(',');
            field(sb, "err", e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage());
        }
        return sb.append("}\n").toString();
    }

    private static void field(StringBuilder sb, String key, String value) {
        string(sb, key);
        sb.append(':');
        string(sb, value);
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
