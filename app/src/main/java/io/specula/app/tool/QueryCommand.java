package io.specula.app.tool;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code specula tool query instant|range|series|labels SERVER …}: promtool's {@code query}
 * commands against any Prometheus-compatible HTTP API, printing as promtool does (Go's
 * {@code model} value strings, or the result as JSON with {@code -o json}). Exit 1 with
 * {@code query error: …} on stderr when the server refuses or cannot be reached.
 */
@Command(name = "query", mixinStandardHelpOptions = true, description = "Run query against a Prometheus server.",
        subcommands = {QueryCommand.Instant.class, QueryCommand.Range.class, QueryCommand.Series.class, QueryCommand.Labels.class})
public final class QueryCommand implements Runnable {
    /** Numbers are kept and written as the server sent them (Go writes no exponent for times). */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    @Option(names = {"-o", "--format"}, defaultValue = "promql", scope = CommandLine.ScopeType.INHERIT,
            description = "Output format of the query: promql or json (default: ${DEFAULT-VALUE}).")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Shared plumbing of the four subcommands: the request, errors and output. */
    abstract static class Sub implements Callable<Integer> {
        @CommandLine.ParentCommand
        QueryCommand parent;

        @Parameters(index = "0", paramLabel = "server", description = "Prometheus server to query.")
        URI server;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract String path();

        abstract List<String[]> params() throws QueryError;

        /** Query results print as Go's model values; series and label values override this. */
        void print(JsonNode data, PrintWriter out) {
            printValue(data.get("resultType").asString(), data.get("result"), out);
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                if (!parent.format.equals("promql") && !parent.format.equals("json")) {
                    throw new QueryError("unknown output format " + parent.format);
                }
                JsonNode data = request(server, path(), params());
                if (parent.format.equals("json")) {
                    JsonNode shown = data.has("result") ? data.get("result") : data;
                    out.println(JSON.writeValueAsString(shown));
                } else {
                    print(data, out);
                }
                out.flush();
                return 0;
            } catch (QueryError e) {
                err.println("query error: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }

    @Command(name = "instant", mixinStandardHelpOptions = true, description = "Run instant query.")
    static final class Instant extends Sub {
        @Parameters(index = "1", paramLabel = "expr", description = "PromQL query expression.")
        String expr;

        @Option(names = "--time", description = "Query evaluation time (RFC3339 or Unix timestamp).")
        String time;

        String path() {
            return "/api/v1/query";
        }

        List<String[]> params() throws QueryError {
            List<String[]> p = new ArrayList<>();
            p.add(new String[] {"query", expr});
            p.add(new String[] {"time", seconds(time == null ? java.time.Instant.now() : parseTime(time))});
            return p;
        }
    }

    @Command(name = "range", mixinStandardHelpOptions = true, description = "Run range query.")
    static final class Range extends Sub {
        @Parameters(index = "1", paramLabel = "expr", description = "PromQL query expression.")
        String expr;

        @Option(names = "--start", description = "Query range start time (RFC3339 or Unix timestamp).")
        String start;

        @Option(names = "--end", description = "Query range end time (RFC3339 or Unix timestamp).")
        String end;

        @Option(names = "--step", description = "Query step size (duration).")
        String step;

        String path() {
            return "/api/v1/query_range";
        }

        List<String[]> params() throws QueryError {
            java.time.Instant e = end == null ? java.time.Instant.now() : parseTime(end);
            java.time.Instant s = start == null ? e.minus(Duration.ofMinutes(5)) : parseTime(start);
            if (!e.isAfter(s)) {
                throw new QueryError("start time is not before end time");
            }
            long stepMillis;
            if (step == null) {
                // promtool: about 250 points, at least one second apart
                stepMillis = Math.max(Duration.between(s, e).toSeconds() / 250, 1) * 1000;
            } else {
                try {
                    stepMillis = io.specula.model.config.PromDuration.parse(step).millis();
                } catch (IllegalArgumentException ex) {
                    throw new QueryError("error parsing step: " + ex.getMessage());
                }
            }
            List<String[]> p = new ArrayList<>();
            p.add(new String[] {"query", expr});
            p.add(new String[] {"start", seconds(s)});
            p.add(new String[] {"end", seconds(e)});
            p.add(new String[] {"step", GoFormat.f(stepMillis / 1000.0)});
            return p;
        }
    }

    @Command(name = "series", mixinStandardHelpOptions = true, description = "Run series query.")
    static final class Series extends Sub {
        @Option(names = "--match", required = true, description = "Series selector. Can be specified multiple times.")
        List<String> matches;

        @CommandLine.Mixin
        TimeRange range;

        String path() {
            return "/api/v1/series";
        }

        List<String[]> params() throws QueryError {
            return selectorParams(matches, range.start, range.end);
        }

        void print(JsonNode data, PrintWriter out) {
            for (JsonNode s : data) {
                out.println(labelSet(s));
            }
        }
    }

    @Command(name = "labels", mixinStandardHelpOptions = true, description = "Run labels query.")
    static final class Labels extends Sub {
        @Parameters(index = "1", paramLabel = "name", description = "Label name to provide label values for.")
        String name;

        @Option(names = "--match", description = "Series selector. Can be specified multiple times.")
        List<String> matches;

        @CommandLine.Mixin
        TimeRange range;

        String path() {
            return "/api/v1/label/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/values";
        }

        List<String[]> params() throws QueryError {
            return selectorParams(matches, range.start, range.end);
        }

        void print(JsonNode data, PrintWriter out) {
            for (JsonNode v : data) {
                out.println(v.asString());
            }
        }
    }

    /** The optional {@code --start}/{@code --end} of series and labels queries. */
    static final class TimeRange {
        @Option(names = "--start", description = "Start time (RFC3339 or Unix timestamp).")
        String start;

        @Option(names = "--end", description = "End time (RFC3339 or Unix timestamp).")
        String end;
    }

    /** A failure to print as {@code query error: …}. */
    static final class QueryError extends Exception {
        QueryError(String message) {
            super(message);
        }
    }

    private static List<String[]> selectorParams(List<String> matches, String start, String end) throws QueryError {
        List<String[]> p = new ArrayList<>();
        if (matches != null) {
            for (String m : matches) {
                p.add(new String[] {"match[]", m});
            }
        }
        if (start != null) {
            p.add(new String[] {"start", seconds(parseTime(start))});
        }
        if (end != null) {
            p.add(new String[] {"end", seconds(parseTime(end))});
        }
        return p;
    }

    /** POSTs the form and returns {@code data}; an API error reads {@code errorType: error} as Go's client prints it. */
    static JsonNode request(URI server, String path, List<String[]> params) throws QueryError {
        StringBuilder form = new StringBuilder();
        for (String[] kv : params) {
            if (!form.isEmpty()) {
                form.append('&');
            }
            form.append(URLEncoder.encode(kv[0], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(kv[1], StandardCharsets.UTF_8));
        }
        String base = server.toString().replaceAll("/+$", "");
        URI uri = URI.create(base + path);
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> resp = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() == 405) { // label values take GET only; Go's client falls back the same way
                uri = URI.create(base + path + (form.isEmpty() ? "" : "?" + form));
                resp = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            JsonNode body;
            try {
                body = JSON.readTree(resp.body());
            } catch (RuntimeException e) {
                throw new QueryError("server returned HTTP status " + resp.statusCode() + " with a body that is not JSON");
            }
            if (!"success".equals(body.path("status").asString(""))) {
                throw new QueryError(body.path("errorType").asString("") + ": " + body.path("error").asString(""));
            }
            return body.get("data");
        } catch (IOException e) {
            throw new QueryError("POST " + uri + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryError("interrupted");
        }
    }

    /** Prints a query result as Go's {@code model.Value.String()} does. */
    static void printValue(String type, JsonNode result, PrintWriter out) {
        switch (type) {
            case "vector" -> {
                List<String> lines = new ArrayList<>();
                for (JsonNode s : result) {
                    lines.add(metric(s.get("metric")) + " => " + sample(s.get("value")));
                }
                out.println(String.join("\n", lines));
            }
            case "matrix" -> {
                List<String> streams = new ArrayList<>();
                for (JsonNode s : result) {
                    List<String> vals = new ArrayList<>();
                    for (JsonNode p : s.path("values")) {
                        vals.add(sample(p));
                    }
                    streams.add(metric(s.get("metric")) + " =>\n" + String.join("\n", vals));
                }
                out.println(String.join("\n", streams));
            }
            case "scalar" -> out.println("scalar: " + sample(result));
            default -> out.println(type + ": " + result.get(1).asString() + " @[" + time(result.get(0)) + "]");
        }
    }

    private static String sample(JsonNode pair) {
        return value(pair.get(1).asString()) + " @[" + time(pair.get(0)) + "]";
    }

    private static String value(String v) {
        return switch (v) {
            case "NaN", "+Inf", "-Inf" -> v;
            default -> GoFormat.f(Double.parseDouble(v));
        };
    }

    /** Go's {@code model.Time.String()}: Unix seconds with the milliseconds, trailing zeros dropped. */
    private static String time(JsonNode t) {
        BigDecimal d = t.decimalValue().setScale(3, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    /** Go's {@code model.Metric.String()}: {@code name{a="1", b="2"}}, or a label set when nameless. */
    private static String metric(JsonNode m) {
        Map<String, String> labels = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.put(e.getKey(), e.getValue().asString());
        }
        String name = labels.remove("__name__");
        if (name == null) {
            return set(labels);
        }
        return labels.isEmpty() ? name : name + set(labels);
    }

    private static String labelSet(JsonNode m) {
        Map<String, String> labels = new TreeMap<>();
        m.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        return set(labels);
    }

    private static String set(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(GoFormat.quote(e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** promtool's time argument: Unix seconds (fractional allowed) or RFC3339. */
    static java.time.Instant parseTime(String s) throws QueryError {
        try {
            BigDecimal secs = new BigDecimal(s);
            return java.time.Instant.ofEpochMilli(secs.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw new QueryError("error parsing time " + s + ": not a Unix timestamp or RFC3339 time");
            }
        }
    }

    private static String seconds(java.time.Instant t) {
        return GoFormat.f(t.toEpochMilli() / 1000.0);
    }
}
