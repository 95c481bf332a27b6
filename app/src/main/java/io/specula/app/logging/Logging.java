package io.specula.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Log set-up for every command: one line per event on stderr, logfmt by default
 * ({@code time=… level=… source=… msg=…}, as Prometheus 3 writes) or JSON with
 * {@code --log.format=json}. Configured in code so that no logback.xml on the class path
 * can change what a user sees.
 */
public final class Logging {
    private static final String APPENDER = "stderr";

    private Logging() {}

    /** Installs the default: logfmt at info. Safe to call more than once. */
    public static void install() {
        setFormat("logfmt");
        setLevel("info");
    }

    /** @throws IllegalArgumentException for a level other than debug, info, warn, error */
    public static void setLevel(String level) {
        Level l = switch (level.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> throw new IllegalArgumentException(
                    "unrecognized log level \"" + level + "\" (expected debug, info, warn or error)");
        };
        root().setLevel(l);
        // Jetty's start/stop chatter at info says nothing an operator needs; its warnings still show.
        ((Logger) LoggerFactory.getLogger("org.eclipse.jetty")).setLevel(l == Level.DEBUG ? Level.DEBUG : Level.WARN);
    }

    /** @throws IllegalArgumentException for a format other than logfmt or json */
    public static void setFormat(String format) {
        Layout<ILoggingEvent> layout = switch (format) {
            case "logfmt" -> new LogfmtLayout();
            case "json" -> new JsonLayout();
            default -> throw new IllegalArgumentException(
                    "unrecognized log format \"" + format + "\" (expected logfmt or json)");
        };
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = root();
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(ctx);
        appender.setName(APPENDER);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
