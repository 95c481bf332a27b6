package io.specula.template;

import static io.specula.template.FunctionSet.Param.ANY;
import static io.specula.template.FunctionSet.Param.STRING;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions Prometheus offers in alerting-rule and console templates (see Prometheus's
 * docs/configuration/template_reference.md), added to Go's builtins. Formats match
 * Prometheus: {@code humanize 1234567} is {@code 1.235M}, {@code humanizeDuration 90} is
 * {@code 1m 30s}, {@code humanizeTimestamp} prints Go's {@code time.Time} in UTC.
 *
 * <p>{@code query}, {@code now}, {@code pathPrefix} and {@code externalURL} depend on the
 * evaluation, so a set is made per context with {@link #create}; templates can be parsed once
 * against {@link #forParsing()} and bound per evaluation with {@link Template#withFunctions}.
 * Prometheus executes these templates with {@code missingkey=zero}.
 */
public final class PrometheusFunctions {
    private static final FunctionSet PARSE_ONLY = create((expr, ts) -> {
        throw new IllegalStateException("query is not available here");
    }, 0, null);

    private PrometheusFunctions() {}

    /** The function names with a {@code query} that fails: enough to parse and validate templates. */
    public static FunctionSet forParsing() {
        return PARSE_ONLY;
    }

    /**
     * @param query runs {@code query} calls
     * @param timestampMillis the evaluation time passed to {@code query}, and {@code now}
     * @param externalUrl Prometheus's external URL, or null for an empty one
     */
    public static FunctionSet create(QueryFunction query, long timestampMillis, URI externalUrl) {
        String path = externalUrl == null || externalUrl.getRawPath() == null ? "" : externalUrl.getRawPath();
        String url = externalUrl == null ? "" : externalUrl.toString();
        FunctionSet fs = FunctionSet.builtins()
                .with("query", a -> query.query(FunctionArgs.string(a[0]), timestampMillis), STRING)
                .with("first", 1, a -> first(a[0]))
                .with("label", a -> {
                    String v = sample(a[1]).labels().get(FunctionArgs.string(a[0]));
                    return v == null ? "" : v;
                }, STRING, ANY)
                .with("value", 1, a -> sample(a[0]).value())
                .with("strvalue", 1, a -> {
                    String v = sample(a[0]).labels().get("__value__");
                    return v == null ? "" : v;
                })
                .with("sortByLabel", a -> sortByLabel(FunctionArgs.string(a[0]), a[1]), STRING, ANY)
                .withVarargs("args", 0, PrometheusFunctions::args)
                .with("reReplaceAll", a -> Regexes.replaceAll(FunctionArgs.string(a[0]), FunctionArgs.string(a[1]),
                        FunctionArgs.string(a[2])), STRING, STRING, STRING)
                .with("match", a -> Regexes.match(FunctionArgs.string(a[0]), FunctionArgs.string(a[1])), STRING, STRING)
                .with("title", a -> GoStrings.titleWords(FunctionArgs.string(a[0])), STRING)
                .with("toUpper", a -> GoStrings.toUpper(FunctionArgs.string(a[0])), STRING)
                .with("toLower", a -> GoStrings.toLower(FunctionArgs.string(a[0])), STRING)
                .with("graphLink", a -> "/graph?g0.expr=" + GoStrings.queryEscape(FunctionArgs.string(a[0])) + "&g0.tab=0", STRING)
                .with("tableLink", a -> "/graph?g0.expr=" + GoStrings.queryEscape(FunctionArgs.string(a[0])) + "&g0.tab=1", STRING)
                .with("stripPort", a -> stripPort(FunctionArgs.string(a[0])), STRING)
                .with("stripDomain", a -> stripDomain(FunctionArgs.string(a[0])), STRING)
                .with("humanize", 1, a -> Humanize.humanize(FunctionArgs.toFloat(a[0])))
                .with("humanize1024", 1, a -> Humanize.humanize1024(FunctionArgs.toFloat(a[0])))
                .with("humanizeDuration", 1, a -> Humanize.duration(FunctionArgs.toFloat(a[0])))
                .with("humanizePercentage", 1, a -> Humanize.percentage(FunctionArgs.toFloat(a[0])))
                .with("humanizeTimestamp", 1, a -> a[0] instanceof GoTime t ? t.UTC().toString()
                        : Humanize.timestamp(FunctionArgs.toFloat(a[0])))
                .with("toTime", 1, a -> Humanize.toTime(FunctionArgs.toFloat(a[0])))
                .with("toDuration", 1, a -> GoDuration.ofSeconds(FunctionArgs.toFloat(a[0])))
                .with("now", 0, a -> timestampMillis / 1000.0)
                .with("pathPrefix", 0, a -> path)
                .with("externalURL", 0, a -> url)
                .with("parseDuration", a -> PromDuration.parseSeconds(FunctionArgs.string(a[0])), STRING)
                .with("safeHtml", a -> new SafeHtml(FunctionArgs.string(a[0])), STRING);
        return fs.with(new FunctionSet.Entry("tmpl", 2, 2, null, FunctionSet.Kind.TMPL, new FunctionSet.Param[] {STRING, ANY}, ANY));
    }

    /**
     * The data Prometheus gives an alerting rule's annotation and label templates:
     * {@code .Labels}, {@code .ExternalLabels}, {@code .ExternalURL}, {@code .Value}. The
     * variables {@code $labels}, {@code $externalLabels}, {@code $externalURL} and
     * {@code $value} come from {@link #alertTemplatePrefix()}.
     */
    public static Map<String, Object> alertData(Map<String, String> labels, Map<String, String> externalLabels,
            String externalUrl, double value) {
        return alertData(labels, externalLabels, externalUrl, (Object) value);
    }

    /**
     * As above for a sample that may be a native histogram: then {@code .Value} is the histogram
     * ({@link GoHistogram}), as in Prometheus.
     */
    public static Map<String, Object> alertData(Map<String, String> labels, Map<String, String> externalLabels,
            String externalUrl, io.specula.model.histogram.FloatHistogram histogram, double value) {
        return alertData(labels, externalLabels, externalUrl, histogram != null ? new GoHistogram(histogram) : (Object) value);
    }

    private static Map<String, Object> alertData(Map<String, String> labels, Map<String, String> externalLabels,
            String externalUrl, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Labels", labels);
        m.put("ExternalLabels", externalLabels);
        m.put("ExternalURL", externalUrl);
        m.put("Value", value);
        return m;
    }

    /** What Prometheus prepends to every alert template to define the convenience variables. */
    public static String alertTemplatePrefix() {
        return "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}"
                + "{{$value := .Value}}";
    }

    private static QuerySample sample(Object v) {
        if (v instanceof QuerySample s) {
            return s;
        }
        throw new FunctionArgs.WrongTypeException(v == null ? "invalid value; expected *template.sample"
                : "wrong type for value; expected *template.sample; got " + Values.typeName(v));
    }

    private static List<?> samples(Object v) {
        List<?> l = Values.asList(v);
        if (l == null) {
            throw new FunctionArgs.WrongTypeException(v == null ? "invalid value; expected template.queryResult"
                    : "wrong type for value; expected template.queryResult; got " + Values.typeName(v));
        }
        return l;
    }

    private static Object first(Object v) {
        List<?> l = samples(v);
        if (l.isEmpty()) {
            throw new IllegalArgumentException("first() called on vector with no elements");
        }
        return l.getFirst();
    }

    private static List<QuerySample> sortByLabel(String label, Object v) {
        List<QuerySample> out = new ArrayList<>();
        for (Object o : samples(v)) {
            out.add(sample(o));
        }
        out.sort(Comparator.comparing(s -> s.labels().getOrDefault(label, ""), Builtins::compareCodePoints));
        return out;
    }

    private static Map<String, Object> args(Object[] a) {
        Map<String, Object> m = new Values.AnyMap();
        for (int i = 0; i < a.length; i++) {
            m.put("arg" + i, a[i]);
        }
        return m;
    }

    /** Go's {@code net.SplitHostPort}, or null when {@code hostPort} has no valid port part. */
    static String[] splitHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        String host;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 != colon) {
                return null;
            }
            host = hostPort.substring(1, close);
        } else {
            host = hostPort.substring(0, colon);
            if (host.indexOf(':') >= 0) {
                return null; // too many colons
            }
        }
        if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0 || hostPort.substring(colon + 1).indexOf(']') >= 0) {
            return null;
        }
        return new String[] {host, hostPort.substring(colon + 1)};
    }

    static String stripPort(String hostPort) {
        String[] hp = splitHostPort(hostPort);
        return hp == null ? hostPort : hp[0];
    }

    static String stripDomain(String hostPort) {
        String[] hp = splitHostPort(hostPort);
        String host = hp == null ? hostPort : hp[0];
        String port = hp == null ? "" : hp[1];
        if (isIp(host)) {
            return hostPort;
        }
        int dot = host.indexOf('.');
        if (dot >= 0) {
            host = host.substring(0, dot);
        }
        if (!port.isEmpty()) {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
        return host;
    }

    /** Go's {@code net.ParseIP != nil}, without any name resolution. */
    static boolean isIp(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return false;
        }
        if (s.indexOf(':') < 0) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return false;
            }
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255
                        || (p.length() > 1 && p.startsWith("0"))) {
                    return false;
                }
            }
            return true;
        }
        try {
            return InetAddress.ofLiteral(s) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
