package io.specula.template;

import static io.specula.template.FunctionSet.Param.ANY;
import static io.specula.template.FunctionSet.Param.STRING;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The functions Alertmanager offers in notification templates (its docs/notifications.md,
 * "Functions"), added to Go's builtins: {@code toUpper toLower title trimSpace join match
 * safeHtml safeUrl urlUnescape reReplaceAll stringSlice date tz since humanizeDuration
 * toJson}. Unlike Prometheus's, {@code title} finds words by Unicode segmentation and
 * lower-cases the rest of each word. Alertmanager
 * executes templates with {@code missingkey=zero}.
 */
public final class AlertmanagerFunctions {
    private static final FunctionSet DEFAULT = create(Clock.systemUTC());

    private AlertmanagerFunctions() {}

    /** The functions with {@code since} measured against the system clock. */
    public static FunctionSet get() {
        return DEFAULT;
    }

    /** The functions with {@code since} measured against {@code clock} (for tests). */
    public static FunctionSet create(Clock clock) {
        return FunctionSet.builtins()
                .with("toUpper", a -> GoStrings.toUpper(FunctionArgs.string(a[0])), STRING)
                .with("toLower", a -> GoStrings.toLower(FunctionArgs.string(a[0])), STRING)
                .with("title", a -> GoStrings.titleCases(FunctionArgs.string(a[0])), STRING)
                .with("trimSpace", a -> GoStrings.trimSpace(FunctionArgs.string(a[0])), STRING)
                .with("join", a -> String.join(FunctionArgs.string(a[0]), FunctionArgs.strings(a[1])), STRING, ANY)
                .with("match", a -> Regexes.match(FunctionArgs.string(a[0]), FunctionArgs.string(a[1])), STRING, STRING)
                .with("safeHtml", a -> new SafeHtml(FunctionArgs.string(a[0])), STRING)
                .with("safeUrl", a -> new SafeUrl(FunctionArgs.string(a[0])), STRING)
                .with("urlUnescape", a -> GoStrings.queryUnescape(FunctionArgs.string(a[0])), STRING)
                .with("reReplaceAll", a -> Regexes.replaceAll(FunctionArgs.string(a[0]), FunctionArgs.string(a[1]),
                        FunctionArgs.string(a[2])), STRING, STRING, STRING)
                .withVarargs("stringSlice", AlertmanagerFunctions::stringSlice, STRING)
                .with("date", a -> FunctionArgs.time(a[1]).Format(FunctionArgs.string(a[0])), STRING, ANY)
                .with("tz", a -> new GoTime(FunctionArgs.time(a[1]).instant(), zone(FunctionArgs.string(a[0]))), STRING, ANY)
                .with("since", 1, a -> {
                    GoTime t = FunctionArgs.time(a[0]);
                    return new GoTime(clock.instant(), ZoneOffset.UTC).Sub(t);
                })
                .with("humanizeDuration", 1, a -> Humanize.duration(FunctionArgs.toFloat(a[0])))
                .with("toJson", 1, a -> GoJson.encode(a[0]))
                .with("toJSON", 1, a -> GoJson.encode(a[0])); // both spellings have been documented
    }

    private static List<String> stringSlice(Object[] a) {
        List<String> out = new ArrayList<>(a.length);
        for (Object o : a) {
            out.add(FunctionArgs.string(o));
        }
        return out;
    }

    /** Go's {@code time.LoadLocation}: "" and "UTC" are UTC, "Local" the system zone. */
    static ZoneId zone(String name) {
        if (name.isEmpty() || name.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        if (name.equals("Local")) {
            return ZoneId.systemDefault();
        }
        try {
            // Java also reads offsets ("+02:00", "UTC+2"); Go's tz database names do not include them.
            if (name.startsWith("+") || name.startsWith("-") || name.matches("(UTC|GMT|UT)[+-].*")) {
                throw new DateTimeException(name);
            }
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone " + name);
        }
    }
}
