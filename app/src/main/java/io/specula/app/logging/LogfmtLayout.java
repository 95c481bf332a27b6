package io.specula.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.slf4j.event.KeyValuePair;

/** {@code time=2026-01-02T03:04:05.678Z level=INFO source=Scrape msg="…" key=value …}. */
final class LogfmtLayout extends LayoutBase<ILoggingEvent> {
    static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    @Override
    public String doLayout(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("time=").append(TIME.format(Instant.ofEpochMilli(e.getTimeStamp())));
        sb.append(" level=").append(e.getLevel().toString());
        sb.append(" source=").append(source(e.getLoggerName()));
        sb.append(" msg=");
        value(sb, e.getFormattedMessage());
        if (e.getKeyValuePairs() != null) {
            for (KeyValuePair kv : e.getKeyValuePairs()) {
                sb.append(' ').append(kv.key).append('=');
                value(sb, String.valueOf(kv.value));
            }
        }
        if (e.getThrowableProxy() != null) {
            sb.append(" err=");
            value(sb, e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage());
            if (e.getLevel().levelInt <= ch.qos.logback.classic.Level.DEBUG_INT) {
                sb.append(" stack=");
                value(sb, ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
        }
        return sb.append('\n').toString();
    }

    /** The simple class name of a logger: short, like Prometheus's file-name sources. */
    static String source(String loggerName) {
        int dot = loggerName.lastIndexOf('.');
        return dot < 0 ? loggerName : loggerName.substring(dot + 1);
    }

    /** Writes a logfmt value: bare when it needs no quoting, else quoted with escapes. */
    static void value(StringBuilder sb, String v) {
        boolean quote = v.isEmpty();
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c <= ' ' || c == '=' || c == '"' || c == '\\' || c == 0x7F;
        }
        if (!quote) {
            sb.append(v);
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
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
