package io.specula.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.model.exposition.proto.Counter;
import io.specula.model.exposition.proto.DelimitedMetricFamilies;
import io.specula.model.exposition.proto.Gauge;
import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.exposition.proto.MetricType;
import io.specula.model.exposition.proto.Quantile;
import io.specula.model.exposition.proto.Summary;
import io.specula.testsupport.RealPushgateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The same scripted pushes, good and bad, against Debian's Pushgateway 1.5 and Specula's: every
 * answer's status and body must be equal, then {@code /metrics} (without the Go runtime's
 * {@code go_}/{@code process_} families, with timestamps' values and latency figures masked)
 * and {@code /api/v1/metrics} (write times masked), then the same again after both restart on
 * their persistence files, and after the admin wipe.
 */
class PushgatewayDifferentialTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROTO = DelimitedMetricFamilies.MEDIA_TYPE;
    /**
     * Families with different HELP texts in different groups: the Go gateway picks one at random
     * (map order). {@code push_failure_time_seconds} is one after a restart: a group that pushed
     * its own (no HELP) beside the gateway's own (with HELP).
     */
    private static final Set<String> HELP_CONFLICTS = Set.of("c", "push_failure_time_seconds");

    @TempDir
    Path dir;

    private record Step(String name, String method, String path, String contentType, String encoding, byte[] body,
            boolean statusOnly) {}

    private final List<Step> steps = new ArrayList<>();

    private void text(String name, String method, String path, String body) {
        steps.add(new Step(name, method, path, null, null, body.getBytes(StandardCharsets.UTF_8), false));
    }

    private void raw(String name, String method, String path, String contentType, String encoding, byte[] body,
            boolean statusOnly) {
        steps.add(new Step(name, method, path, contentType, encoding, body, statusOnly));
    }

    private void script() throws IOException {
        text("text push", "POST", "/metrics/job/j1/instance/i1",
                "some_metric{label=\"v\"} 3.5\n# TYPE c counter\n# HELP c help one\nc 1\n# HELP g a \\\\ \\n help\n# TYPE g gauge\ng{q=\"a\\\"b\\\\c\\nd\"} -Inf\n");
        text("type clash across groups", "POST", "/metrics/job/j2", "# TYPE c gauge\nc 1\n");
        text("same series twice", "POST", "/metrics/job/j3", "x 1\nx 2\n");
        text("timestamp", "POST", "/metrics/job/j3", "x 1 1234\n");
        text("same HELP conflict accepted", "POST", "/metrics/job/j4", "# HELP c help two\n# TYPE c counter\nc 2\n");
        String[] unparsable = {"x{ 1\n", "x 1", "x{a=\"b\"} 1\n# TYPE x counter\n", "# TYPE x foo\n", "# HELP x a\n# HELP x b\n",
            "x{a=\"b\",a=\"c\"} 1\n", "x{__name__=\"y\"} 1\n", "x{a=\"\\q\"} 1\n", "x 1 abc\n", "x abc\n", "x{a=b} 1\n",
            "x 1 2 3\n", "1x 1\n", "x{a=\"b\"c} 1\n", "x 0x1p3\n", "x 1_0\n", "x 1e999\n", "# TYPE s summary\ns{quantile=\"a\"} 1\n",
            "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n", "x{a=\"b\n", "# HELP x a\\t\n", "x{a=\"\u00ff\"} 1\n",
            "# TYPE x counter\n# TYPE x gauge\n", "x 1 9223372036854775808\n", "x{,} 1\n", "x{a=\"1\",} +Inf 12\n"};
        for (int i = 0; i < unparsable.length; i++) {
            text("text case " + i + ": " + unparsable[i].replace("\n", "\\n"), "POST", "/metrics/job/t" + i, unparsable[i]);
        }
        text("special floats", "POST", "/metrics/job/floats", "fa NaN\nfb +Inf\nfc -inf\nfd 1e-7\nfe 123456789\nff .5\nfg 1.\nfh -0\nfi Infinity\nfj 1e21\nfk 0.000001\n");
        text("base64 job and empty base64 value", "POST", "/metrics/job@base64/Zm9vL2Jhcg/path@base64/=", "y 1\n");
        text("base64 value with URL alphabet and padding", "POST", "/metrics/job/b64/v@base64/Pz8_Pj4-YS9i==", "y 2\n");
        text("base64 value that is not UTF-8", "POST", "/metrics/job/b64/v@base64/YS9i_-8=", "y 2\n");
        // The refused push left a group whose labels the Go gateway cannot expose; remove it.
        text("delete the group that is not UTF-8", "DELETE", "/metrics/job/b64/v@base64/YS9i_-8=", "");
        text("odd number of components", "POST", "/metrics/job/a/b", "y 1\n");
        text("reserved label name", "POST", "/metrics/job/a/__x/b", "y 1\n");
        text("invalid label name", "POST", "/metrics/job/a/x-y/b", "y 1\n");
        text("bad base64", "POST", "/metrics/job/a/x@base64/!!", "y 1\n");
        text("base64 with a lone last char", "POST", "/metrics/job/a/x@base64/abcde", "y 1\n");
        text("bad base64 job", "DELETE", "/metrics/job@base64/a.b", "");
        text("empty job after base64", "POST", "/metrics/job@base64/=", "y 1\n");
        text("empty label value", "POST", "/metrics/job/a/x/", "y 1\n");
        text("no job", "POST", "/metrics/job/", "y 1\n");
        text("summary and histogram", "POST", "/metrics/job/sh",
                "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns{quantile=\"0.9\",k=\"v\"} 4\ns_sum 3\ns_count 2\ns_sum{k=\"v\"} 4\ns_count{k=\"v\"} 1\n"
                        + "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n"
                        + "# TYPE h2 histogram\nh2_bucket{le=\"0.25\"} 1\nh2_sum 0.5\nh2_count 3\n");
        text("grouping labels override the body's", "POST", "/metrics/job/ov/instance/inst",
                "m{job=\"other\",instance=\"x\",a=\"1\"} 1\nm{a=\"2\"} 2\n");
        text("second family into a group (POST keeps the others)", "POST", "/metrics/job/j1/instance/i1", "extra 5\n");
        text("PUT replaces the group", "PUT", "/metrics/job/ov/instance/inst", "only 1\n");
        text("invalid label name in the body", "POST", "/metrics/job/inv", "x{__a=\"b\"} 1\n");
        text("the gateway's own metric with another type", "POST", "/metrics/job/own", "pushgateway_build_info 1\n");
        // Which of the two colliding names Go reports depends on its map order: compare the status only.
        raw("suffix collision with a summary", "POST", "/metrics/job/coll", null, null,
                "s_count 1\n".getBytes(StandardCharsets.UTF_8), true);
        raw("gzip body", "POST", "/metrics/job/gz", null, "gzip", gzip("gz 7\n"), false);
        raw("gzip header too short", "POST", "/metrics/job/gz", null, "gzip", "g 7\n".getBytes(StandardCharsets.UTF_8), false);
        raw("not gzip", "POST", "/metrics/job/gz", null, "gzip", "g 7\ng 7\ng 7\n".getBytes(StandardCharsets.UTF_8), false);
        raw("protobuf body", "POST", "/metrics/job/proto/instance/pi", PROTO, null, delimited(
                family("pc", MetricType.COUNTER, "a proto counter", Metric.newBuilder().addLabel(label("a", "1"))
                        .addLabel(label("job", "body")).setCounter(Counter.newBuilder().setValue(4.5))),
                family("pg", MetricType.GAUGE, null, Metric.newBuilder().setGauge(Gauge.newBuilder().setValue(-2))),
                family("ps", MetricType.SUMMARY, "", Metric.newBuilder().setSummary(Summary.newBuilder().setSampleCount(3)
                        .setSampleSum(1.5).addQuantile(Quantile.newBuilder().setQuantile(0.99).setValue(0.7))))), false);
        raw("protobuf gzip PUT", "PUT", "/metrics/job/proto2", PROTO, "gzip", gzip(delimited(
                family("pg2", MetricType.GAUGE, "g", Metric.newBuilder().addLabel(label("z", "é\"\n"))
                        .setGauge(Gauge.newBuilder().setValue(1))))), false);
        raw("protobuf with a timestamp", "POST", "/metrics/job/proto3", PROTO, null, delimited(
                family("pt", MetricType.GAUGE, null, Metric.newBuilder().setTimestampMs(5).setGauge(Gauge.newBuilder().setValue(1)))),
                false);
        raw("protobuf type clash", "POST", "/metrics/job/proto4", PROTO, null, delimited(
                family("pg", MetricType.COUNTER, null, Metric.newBuilder().setCounter(Counter.newBuilder().setValue(1)))), false);
        raw("protobuf value not matching its type", "POST", "/metrics/job/proto5", PROTO, null, delimited(
                family("pv", MetricType.GAUGE, null, Metric.newBuilder().setCounter(Counter.newBuilder().setValue(1)))), false);
        raw("protobuf duplicate label", "POST", "/metrics/job/proto6", PROTO, null, delimited(
                family("pd", MetricType.GAUGE, null, Metric.newBuilder().addLabel(label("a", "1")).addLabel(label("a", "2"))
                        .setGauge(Gauge.newBuilder().setValue(1)))), false);
        raw("protobuf explicit quantile label", "POST", "/metrics/job/proto7", PROTO, null, delimited(
                family("pq", MetricType.SUMMARY, null, Metric.newBuilder().addLabel(label("quantile", "1"))
                        .setSummary(Summary.newBuilder().setSampleCount(1)))), false);
        raw("protobuf garbage", "POST", "/metrics/job/proto8", PROTO, null, new byte[] {5, 1, 2}, true);
        raw("text that looks like protobuf (wrong Content-Type parameters)", "POST", "/metrics/job/proto9",
                "application/vnd.google.protobuf; encoding=text", null, "ct 1\n".getBytes(StandardCharsets.UTF_8), false);
        text("push before emptying", "POST", "/metrics/job/empty", "e1 1\ne2 2\n");
        raw("PUT of an empty body empties the group", "PUT", "/metrics/job/empty", null, null, new byte[0], false);
        raw("POST of an empty body only stamps the time", "POST", "/metrics/job/empty2", null, null, new byte[0], false);
        text("comments and blank lines only", "POST", "/metrics/job/empty3", "# just a comment\n\n   \n# HELP lonely no samples\n");
        text("pushing push_time_seconds itself: replaced by the real one", "POST", "/metrics/job/pt",
                "# TYPE push_time_seconds gauge\npush_time_seconds 5\n");
        text("pushing push_failure_time_seconds into an existing group: kept", "POST", "/metrics/job/pt",
                "# TYPE push_failure_time_seconds gauge\npush_failure_time_seconds 7\n");
        text("unicode label values and NaN quantiles", "POST", "/metrics/job/uni/instance/\u00e9t\u00e9",
                "u{v=\"\u65e5\u672c \u00e9\"} 1\n# TYPE us summary\nus{quantile=\"0.99\"} NaN\nus_sum 0\nus_count 0\n");
        raw("protobuf native and classic histogram, same family twice (the last wins)", "POST", "/metrics/job/nh", PROTO, null,
                delimited(family("nh", MetricType.GAUGE, "dropped", Metric.newBuilder().setGauge(Gauge.newBuilder().setValue(1))),
                        family("nh", MetricType.HISTOGRAM, "native", Metric.newBuilder().setHistogram(
                                io.specula.model.exposition.proto.Histogram.newBuilder().setSampleCount(5).setSampleSum(2.5)
                                        .setSchema(1).setZeroThreshold(0.001).setZeroCount(1)
                                        .addPositiveSpan(io.specula.model.exposition.proto.BucketSpan.newBuilder().setOffset(0).setLength(2))
                                        .addPositiveDelta(2).addPositiveDelta(0)
                                        .addBucket(io.specula.model.exposition.proto.Bucket.newBuilder().setUpperBound(1).setCumulativeCount(3))))),
                false);
        text("PATCH is not a push", "PATCH", "/metrics/job/x", "x 1\n");
        text("delete a group", "DELETE", "/metrics/job/j3", "");
        text("delete a group that does not exist", "DELETE", "/metrics/job/nothing/a/b", "");
        text("health", "GET", "/-/healthy", "");
        text("ready", "GET", "/-/ready", "");
        text("quit by GET", "GET", "/-/quit", "");
        text("unknown path", "GET", "/nothing", "");
        text("wrong method on a push path", "GET", "/metrics/job/x", "");
    }

    @Test
    void scriptedPushes_sameAnswersAndExpositionAsThePushgateway() throws Exception {
        assumeTrue(RealPushgateway.installed(), RealPushgateway.SKIP_MESSAGE);
        script();
        Path ourFile = dir.resolve("ours.data");
        RealPushgateway real = RealPushgateway.start(dir);
        Pushgateway ours = startOurs(ourFile);
        try {
            String theirs = real.base;
            String mine = "http://127.0.0.1:" + ours.port();
            runSteps(theirs, mine);
            assertThat(protobufExposition(mine)).as("protobuf /metrics").isEqualTo(protobufExposition(theirs));
            compareState(theirs, mine, "after the script");

            real.close();
            ours.close();
            real = RealPushgateway.start(dir);
            ours = startOurs(ourFile);
            theirs = real.base;
            mine = "http://127.0.0.1:" + ours.port();
            compareState(theirs, mine, "after restarting on the persistence files");

            Step wipe = new Step("wipe", "PUT", "/api/v1/admin/wipe", null, null, new byte[0], false);
            assertThat(send(mine, wipe).statusCode()).isEqualTo(send(theirs, wipe).statusCode()).isEqualTo(202);
            compareState(theirs, mine, "after the wipe");
            Step quit = new Step("quit", "PUT", "/-/quit", null, null, new byte[0], false);
            HttpResponse<String> q = send(mine, quit);
            assertThat(q.body()).isEqualTo(send(theirs, quit).body());
            assertThat(ours.quitRequested().getCount()).isZero();
        } finally {
            real.close();
            ours.close();
        }
    }

    @Test
    void uncheckedPushesUnderARoutePrefix_sameAnswersAsThePushgateway() throws Exception {
        assumeTrue(RealPushgateway.installed(), RealPushgateway.SKIP_MESSAGE);
        text("push", "PUT", "/pg/metrics/job/a", "# TYPE c counter\nc 1\n");
        text("timestamp: accepted, then dropped", "POST", "/pg/metrics/job/b", "t 1 5\n");
        text("unparsable: still refused", "POST", "/pg/metrics/job/b", "t{ 1\n");
        text("bad grouping key: still refused", "POST", "/pg/metrics/job/b/c", "u 1\n");
        text("delete", "DELETE", "/pg/metrics/job/x", "");
        text("health under the prefix", "GET", "/pg/-/healthy", "");
        text("health without the prefix", "GET", "/-/healthy", "");
        text("push without the prefix", "POST", "/metrics/job/a", "c 1\n");
        text("quit by GET is answered without the prefix", "GET", "/-/quit", "");
        text("quit disabled", "POST", "/pg/-/quit", "");
        text("wipe disabled", "PUT", "/pg/api/v1/admin/wipe", "");
        text("the default telemetry path is not served", "GET", "/pg/metrics", "");
        RealPushgateway real = RealPushgateway.start(dir, "--web.route-prefix=/pg/", "--web.telemetry-path=m",
                "--push.disable-consistency-check", "--persistence.file=");
        PushgatewayOptions o = new PushgatewayOptions();
        o.listenAddress = "127.0.0.1:0";
        o.routePrefix = "/pg/";
        o.telemetryPath = "m";
        o.disableConsistencyCheck = true;
        Pushgateway ours = Pushgateway.start(o);
        try {
            String mine = "http://127.0.0.1:" + ours.port();
            get(mine + "/pg/-/ready");
            runSteps(real.base, mine);
            assertThat(exposition(mine, "/pg/m")).containsExactlyElementsOf(exposition(real.base, "/pg/m"));
            assertThat(apiMetrics(mine, "/pg")).isEqualTo(apiMetrics(real.base, "/pg"));
            // A type clash is stored unchecked; then the scrape fails, naming the clash.
            Step clash = new Step("clash", "POST", "/pg/metrics/job/z", null, null, "# TYPE c gauge\nc 1\n".getBytes(StandardCharsets.UTF_8), false);
            assertThat(send(mine, clash).statusCode()).isEqualTo(send(real.base, clash).statusCode()).isEqualTo(202);
            Step scrape = new Step("scrape", "GET", "/pg/m", null, null, new byte[0], false);
            HttpResponse<String> a = send(real.base, scrape);
            HttpResponse<String> b = send(mine, scrape);
            assertThat(b.statusCode()).isEqualTo(a.statusCode()).isEqualTo(500);
            assertThat(b.body()).startsWith("An error has occurred while serving metrics:\n\ncollected metric \"c\"");
        } finally {
            real.close();
            ours.close();
        }
    }

    private void runSteps(String theirs, String mine) throws Exception {
        for (Step s : steps) {
            HttpResponse<String> a = send(theirs, s);
            HttpResponse<String> b = send(mine, s);
            assertThat(b.statusCode()).as("status of step '%s' (theirs said %s)", s.name, a.body()).isEqualTo(a.statusCode());
            if (!s.statusOnly && !sameConsistencyError(a.body(), b.body())) {
                assertThat(errorLines(b.body())).as("body of step '%s'", s.name).isEqualTo(errorLines(a.body()));
            }
        }
    }

    private static Pushgateway startOurs(Path file) throws Exception {
        PushgatewayOptions o = new PushgatewayOptions();
        o.listenAddress = "127.0.0.1:0";
        o.persistenceFile = file;
        o.enableAdminApi = true;
        o.enableLifecycle = true;
        Pushgateway pg = Pushgateway.start(o);
        // The real one is polled on /-/ready until it answers, which its request counter counts.
        get("http://127.0.0.1:" + pg.port() + "/-/ready");
        return pg;
    }

    /**
     * A body as lines; the errors of a multi-error sorted (Go lists them in map order) and push
     * times inside them masked.
     */
    private static List<String> errorLines(String body) {
        List<String> lines = new ArrayList<>(List.of(body.replaceAll("gauge:<value:1\\.[0-9e+]+ >", "gauge:<value:T >").split("\n")));
        if (lines.size() > 1 && lines.getFirst().endsWith("error(s) occurred:")) {
            lines.subList(1, lines.size()).sort(null);
        }
        return lines;
    }

    /** The consistency errors whose metric depends on Go's random map order: same metric name, same kind. */
    private static boolean sameConsistencyError(String a, String b) {
        Pattern p = Pattern.compile("pushed metrics are invalid or inconsistent with existing metrics: collected metric \"(\\w+)\" \\{ .*\\} is not a [A-Z]+\n");
        Matcher ma = p.matcher(a);
        Matcher mb = p.matcher(b);
        return ma.matches() && mb.matches() && ma.group(1).equals(mb.group(1));
    }

    private void compareState(String theirs, String mine, String when) throws Exception {
        assertThat(exposition(mine, "/metrics")).as("/metrics %s", when).containsExactlyElementsOf(exposition(theirs, "/metrics"));
        assertThat(apiMetrics(mine, "")).as("/api/v1/metrics %s", when).isEqualTo(apiMetrics(theirs, ""));
        JsonNode theirStatus = JSON.readTree(get(theirs + "/api/v1/status"));
        JsonNode myStatus = JSON.readTree(get(mine + "/api/v1/status"));
        assertThat(myStatus.get("status").asString()).isEqualTo("success");
        List<String> myFlags = new ArrayList<>(myStatus.get("data").get("flags").propertyNames());
        assertThat(theirStatus.get("data").get("flags").propertyNames()).containsAll(myFlags);
        assertThat(myStatus.get("data").get("build_information").propertyNames())
                .containsExactlyElementsOf(theirStatus.get("data").get("build_information").propertyNames());
    }

    /** The text exposition, normalized: no Go runtime families, times and latencies masked. */
    private static List<String> exposition(String base, String path) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : get(base + path).split("\n")) {
            String name = line.startsWith("# ") ? line.split(" ")[2] : line.split("[{ ]")[0];
            if (name.startsWith("go_") || name.startsWith("process_")) {
                continue;
            }
            if (line.startsWith("# HELP ") && HELP_CONFLICTS.contains(name)) {
                continue;
            }
            if (name.equals("pushgateway_build_info") && !line.startsWith("#")) {
                line = line.replaceAll("=\"[^\"]*\"", "=\"*\"");
            }
            if (name.startsWith("push_time_seconds") || name.startsWith("push_failure_time_seconds")) {
                line = line.replaceAll("} [0-9.e+]+$", "} T").replace("} T", line.endsWith("} 0") ? "} 0" : "} T");
            }
            if (name.startsWith("pushgateway_http_push_") && !line.startsWith("#")) {
                if (!name.endsWith("_count")) {
                    continue;
                }
            }
            out.add(line);
        }
        return out;
    }

    /** The protobuf exposition, normalized like {@link #exposition}. */
    private static List<String> protobufExposition(String base) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/vnd.google.protobuf");
        List<String> out = new ArrayList<>();
        for (MetricFamily mf : DelimitedMetricFamilies.readAll(new java.io.ByteArrayInputStream(r.body()), 1 << 24)) {
            String name = mf.getName();
            if (name.startsWith("go_") || name.startsWith("process_")) {
                continue;
            }
            MetricFamily.Builder b = mf.toBuilder();
            if (HELP_CONFLICTS.contains(name)) {
                b.clearHelp();
            }
            for (Metric.Builder m : b.getMetricBuilderList()) {
                if (name.startsWith("push_") && m.getGauge().getValue() != 0) {
                    m.getGaugeBuilder().setValue(1);
                }
                if (name.equals("pushgateway_build_info")) {
                    m.getLabelBuilderList().forEach(l -> l.setValue("*"));
                }
                if (name.startsWith("pushgateway_http_push_")) {
                    m.getSummaryBuilder().setSampleSum(0).getQuantileBuilderList().forEach(q -> q.setValue(0));
                }
            }
            out.add(b.build().toString());
        }
        return out;
    }

    /** /api/v1/metrics with write times masked, groups sorted by their labels. */
    private static List<String> apiMetrics(String base, String prefix) throws Exception {
        JsonNode root = JSON.readTree(get(base + prefix + "/api/v1/metrics"));
        assertThat(root.get("status").asString()).isEqualTo("success");
        List<String> groups = new ArrayList<>();
        for (JsonNode g : (ArrayNode) root.get("data")) {
            ObjectNode group = (ObjectNode) g;
            for (String name : new ArrayList<>(group.propertyNames())) {
                JsonNode f = group.get(name);
                if (f.isObject() && f.has("time_stamp")) {
                    ((ObjectNode) f).put("time_stamp", "T");
                    if (name.startsWith("push_")) {
                        for (JsonNode m : f.get("metrics")) {
                            if (!m.get("value").asString().equals("0")) {
                                ((ObjectNode) m).put("value", "T");
                            }
                        }
                    }
                }
            }
            groups.add(group.toString());
        }
        groups.sort(null);
        return groups;
    }

    private static HttpResponse<String> send(String base, Step s) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + s.path));
        if (s.contentType != null) {
            b.header("Content-Type", s.contentType);
        }
        if (s.encoding != null) {
            b.header("Content-Encoding", s.encoding);
        }
        b.method(s.method, s.body.length == 0 && (s.method.equals("GET") || s.method.equals("DELETE"))
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(s.body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    private static LabelPair label(String n, String v) {
        return LabelPair.newBuilder().setName(n).setValue(v).build();
    }

    private static MetricFamily family(String name, MetricType type, String help, Metric.Builder... metrics) {
        MetricFamily.Builder b = MetricFamily.newBuilder().setName(name).setType(type);
        if (help != null) {
            b.setHelp(help);
        }
        for (Metric.Builder m : metrics) {
            b.addMetric(m);
        }
        return b.build();
    }

    private static byte[] delimited(MetricFamily... families) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MetricFamily f : families) {
            DelimitedMetricFamilies.write(f, out);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(String s) throws IOException {
        return gzip(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }
}
