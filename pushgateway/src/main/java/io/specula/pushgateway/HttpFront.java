package io.specula.pushgateway;

import io.specula.httpserver.HttpServer;
import io.specula.model.exposition.GoFloat;
import io.specula.model.exposition.proto.Bucket;
import io.specula.model.exposition.proto.DelimitedMetricFamilies;
import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.exposition.proto.Quantile;
import io.specula.model.value.GoTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pushgateway's HTTP routes, served by the daemons' one {@link HttpServer} (so
 * {@code --web.config.file} gives TLS and basic auth), under the route prefix:
 * {@code /metrics/job[@base64]/…} (PUT, POST, DELETE), the telemetry path, {@code /-/healthy},
 * {@code /-/ready}, {@code /-/quit}, {@code /api/v1/status}, {@code /api/v1/metrics} and
 * {@code PUT /api/v1/admin/wipe}. Status codes and plain-text bodies are the Go gateway's;
 * gzip-encoded bodies are decoded, up to {@link PushHandler#MAX_BODY_BYTES}.
 */
final class HttpFront {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    private static final String NOT_FOUND = "404 page not found\n";

    private HttpServer server;
    private final Pushgateway pg;
    private final String prefix;
    private final String telemetryPath;
    private final String apiPath;

    private HttpFront(Pushgateway pg, String prefix) {
        this.pg = pg;
        this.prefix = prefix;
        this.telemetryPath = joinPath(prefix, pg.options().telemetryPath);
        this.apiPath = prefix + "/api/v1";
    }

    static HttpFront start(Pushgateway pg, String listenAddress, String prefix) throws IOException {
        HttpFront front = new HttpFront(pg, prefix);
        Handler app = new Handler.Abstract() {
            @Override
            public boolean handle(Request req, Response resp, Callback cb) {
                try {
                    front.route(req, resp, cb);
                } catch (RuntimeException | IOException e) {
                    LOG.error("request failed: path={} err={}", req.getHttpURI().getPath(), e.toString());
                    text(resp, cb, 500, e.toString() + "\n");
                }
                return true;
            }
        };
        front.server = HttpServer.start(new HttpServer.Options("pushgateway", listenAddress, pg.options().webConfigFile,
                30_000, 0), app);
        return front;
    }

    /** Go's {@code path.Join} for the two parts used here. */
    static String joinPath(String a, String b) {
        String p = (a + "/" + b).replaceAll("/+", "/");
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private void route(Request req, Response resp, Callback cb) throws IOException {
        String path = req.getHttpURI().getDecodedPath();
        String method = req.getMethod();
        InputStream body;
        try {
            body = body(req);
        } catch (PushException e) {
            text(resp, cb, e.status(), e.getMessage() + "\n");
            return;
        }
        if (path.equals("/-/quit") && method.equals("GET")) {
            // Registered without the route prefix by the Go gateway.
            text(resp, cb, 405, "Only POST or PUT requests allowed.");
            return;
        }
        if (path.startsWith(apiPath + "/")) {
            api(path.substring(apiPath.length()), method, req, resp, cb);
            return;
        }
        if (path.equals(telemetryPath)) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                methodNotAllowed(resp, cb, "GET, OPTIONS");
                return;
            }
            metrics(req, resp, cb);
            return;
        }
        if (!path.startsWith(prefix + "/")) {
            text(resp, cb, 404, NOT_FOUND);
            return;
        }
        String local = path.substring(prefix.length());
        switch (local) {
            case "/-/healthy", "/-/ready" -> {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    methodNotAllowed(resp, cb, "GET, OPTIONS");
                } else {
                    pg.telemetry().request(local.substring(3), method, 200);
                    text(resp, cb, 200, "OK");
                }
            }
            case "/-/quit" -> {
                if (!method.equals("PUT") && !method.equals("POST")) {
                    methodNotAllowed(resp, cb, "POST, PUT, OPTIONS");
                } else if (!pg.options().enableLifecycle) {
                    text(resp, cb, 403, "Lifecycle API is not enabled.");
                } else {
                    text(resp, cb, 200, "Requesting termination... Goodbye!");
                    pg.requestQuit();
                }
            }
            default -> {
                if (local.startsWith("/metrics/job/") || local.startsWith("/metrics/job@base64/")) {
                    pushOrDelete(local, method, req, body, resp, cb);
                } else {
                    text(resp, cb, 404, NOT_FOUND);
                }
            }
        }
    }

    private void pushOrDelete(String local, String method, Request req, InputStream in, Response resp, Callback cb) throws IOException {
        boolean b64 = local.startsWith("/metrics/job@base64/");
        String rest = local.substring(b64 ? "/metrics/job@base64/".length() : "/metrics/job/".length());
        boolean push = method.equals("PUT") || method.equals("POST");
        if (!push && !method.equals("DELETE")) {
            methodNotAllowed(resp, cb, "DELETE, OPTIONS, POST, PUT");
            return;
        }
        int slash = rest.indexOf('/');
        String job = slash < 0 ? rest : rest.substring(0, slash);
        String labels = slash < 0 ? "" : rest.substring(slash);
        if (job.isEmpty()) {
            // The Go router redirects a trailing slash away; nothing serves the target.
            resp.getHeaders().put(HttpHeader.LOCATION, prefix + local.substring(0, local.length() - 1));
            text(resp, cb, 307, "");
            return;
        }
        long start = System.nanoTime();
        int code;
        String body;
        try {
            GroupingKey key = GroupingKey.parse(job, b64, labels);
            byte[] content = readBody(in);
            if (push) {
                code = PushHandler.push(pg.store(), key, req.getHeaders().get(HttpHeader.CONTENT_TYPE), content,
                        method.equals("PUT"), !pg.options().disableConsistencyCheck);
            } else {
                pg.store().delete(key);
                code = 202;
            }
            body = "";
        } catch (PushException e) {
            code = e.status();
            body = e.getMessage() + "\n";
            LOG.debug("push refused: method={} path={} err={}", method, local, e.getMessage());
        }
        if (push) {
            pg.telemetry().push(method, (System.nanoTime() - start) / 1e9, approximateRequestSize(req));
        }
        pg.telemetry().request(push ? "push" : "delete", method, code);
        text(resp, cb, code, body);
    }

    /**
     * The request body, gzip-decoded when so marked. The gzip header is checked before routing,
     * as the Go gateway decodes bodies in front of its router: a bad header is answered there
     * (and not counted as a push); errors later in the stream belong to the handler.
     */
    private static InputStream body(Request req) throws PushException, IOException {
        InputStream in = Content.Source.asInputStream(req);
        String enc = req.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        if (enc == null || !enc.equalsIgnoreCase("gzip")) {
            return in;
        }
        byte[] header = in.readNBytes(10);
        if (header.length == 0) {
            throw new PushException(400, "EOF");
        }
        if (header.length < 10) {
            throw new PushException(400, "unexpected EOF");
        }
        if ((header[0] & 0xff) != 0x1f || (header[1] & 0xff) != 0x8b || header[2] != 8) {
            throw new PushException(400, "gzip: invalid header");
        }
        try {
            return new GZIPInputStream(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(header), in));
        } catch (ZipException | java.io.EOFException e) {
            throw new PushException(400, "unexpected EOF");
        }
    }

    /** Reads a (decoded) body, bounded; stream errors read like Go's. */
    private static byte[] readBody(InputStream in) throws PushException, IOException {
        try {
            return PushHandler.readBody(in);
        } catch (ZipException e) {
            throw new PushException(400, "gzip: " + e.getMessage());
        } catch (java.io.EOFException e) {
            throw new PushException(400, "unexpected EOF");
        }
    }

    /** About what Go's promhttp counts as a request's size: method, URL, protocol, headers, host, body. */
    private static long approximateRequestSize(Request req) {
        long size = req.getHttpURI().getPathQuery().length() + req.getMethod().length()
                + req.getConnectionMetaData().getProtocol().length();
        for (HttpField f : req.getHeaders()) {
            size += f.getName().length() + f.getValue().length();
        }
        long len = req.getLength();
        return size + Math.max(0, len);
    }

    private void metrics(Request req, Response resp, Callback cb) throws IOException {
        List<MetricFamily> own = pg.telemetry().families();
        List<MetricFamily> pushed = pg.store().merged();
        // Checked pushes keep the state consistent, but an unchecked one or an old persistence
        // file may not have: like the Go gateway, refuse to serve an inconsistent scrape.
        String err = Consistency.check(own, pushed);
        if (err != null) {
            text(resp, cb, 500, "An error has occurred while serving metrics:\n\n" + err + "\n");
            return;
        }
        List<MetricFamily> all = new ArrayList<>(own);
        all.addAll(pushed);
        List<MetricFamily> families = Exposition.normalize(all);
        boolean proto = wantsProtobuf(req.getHeaders().get(HttpHeader.ACCEPT));
        String acceptEncoding = req.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
        boolean gzip = acceptEncoding != null && acceptEncoding.toLowerCase(Locale.ROOT).contains("gzip");
        ByteArrayOutputStream buf = new ByteArrayOutputStream(8192);
        try (java.io.OutputStream out = gzip ? new GZIPOutputStream(buf) : buf) {
            if (proto) {
                Exposition.writeProtobuf(families, out);
            } else {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                Exposition.writeText(families, w);
                w.flush();
            }
        }
        resp.setStatus(200);
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, proto ? DelimitedMetricFamilies.MEDIA_TYPE : Exposition.TEXT_CONTENT_TYPE);
        if (gzip) {
            resp.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        resp.write(true, ByteBuffer.wrap(buf.toByteArray()), cb);
    }

    /**
     * The Go library's negotiation without OpenMetrics: the most preferred (by {@code q}, then
     * order) of delimited protobuf MetricFamily and text 0.0.4 wins; text when neither is named.
     */
    static boolean wantsProtobuf(String accept) {
        if (accept == null) {
            return false;
        }
        record Choice(boolean proto, double q, int order) {}
        List<Choice> choices = new ArrayList<>();
        String[] parts = accept.split(",");
        for (int i = 0; i < parts.length; i++) {
            String[] fields = parts[i].split(";");
            String type = fields[0].trim().toLowerCase(Locale.ROOT);
            Map<String, String> params = new LinkedHashMap<>();
            for (int j = 1; j < fields.length; j++) {
                int eq = fields[j].indexOf('=');
                if (eq > 0) {
                    params.put(fields[j].substring(0, eq).trim().toLowerCase(Locale.ROOT), fields[j].substring(eq + 1).trim());
                }
            }
            double q;
            try {
                q = Double.parseDouble(params.getOrDefault("q", "1"));
            } catch (NumberFormatException e) {
                q = 0;
            }
            String encoding = params.getOrDefault("encoding", "");
            if (type.equals("application/vnd.google.protobuf") && "io.prometheus.client.MetricFamily".equals(params.get("proto"))
                    && (encoding.equals("delimited") || encoding.isEmpty())) {
                choices.add(new Choice(true, q, i));
            } else if (type.equals("text/plain") && (params.getOrDefault("version", "0.0.4").equals("0.0.4"))) {
                choices.add(new Choice(false, q, i));
            }
        }
        return choices.stream().sorted(java.util.Comparator.comparingDouble(Choice::q).reversed().thenComparingInt(Choice::order))
                .findFirst().map(Choice::proto).orElse(false);
    }

    private void api(String path, String method, Request req, Response resp, Callback cb) {
        resp.getHeaders().put("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type, Origin");
        resp.getHeaders().put("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
        resp.getHeaders().put("Access-Control-Allow-Origin", "*");
        resp.getHeaders().put("Access-Control-Expose-Headers", "Date");
        resp.getHeaders().put("Cache-Control", "no-cache, no-store, must-revalidate");
        if (path.equals("/admin/wipe") && pg.options().enableAdminApi) {
            if (!method.equals("PUT")) {
                methodNotAllowed(resp, cb, "OPTIONS, PUT");
                return;
            }
            pg.store().wipe();
            pg.telemetry().request("wipe", method, 202);
            text(resp, cb, 202, "");
            return;
        }
        if (method.equals("OPTIONS")) {
            pg.telemetry().request("api/v1/options", method, 200);
            text(resp, cb, 200, "");
            return;
        }
        String data;
        switch (path) {
            case "/status" -> data = GoJson.encode(status());
            case "/metrics" -> data = GoJson.encode(metricsJson());
            default -> {
                text(resp, cb, 404, NOT_FOUND);
                return;
            }
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            methodNotAllowed(resp, cb, "GET, OPTIONS");
            return;
        }
        pg.telemetry().request("api/v1" + path, method, 200);
        resp.setStatus(200);
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        resp.write(true, StandardCharsets.UTF_8.encode("{\"status\":\"success\",\"data\":" + data + "}"), cb);
    }

    private Map<String, Object> status() {
        Map<String, Object> build = new TreeMap<>();
        build.put("branch", "HEAD");
        build.put("buildDate", "");
        build.put("buildUser", "");
        build.put("goVersion", "java" + Runtime.version().feature());
        build.put("revision", "specula");
        build.put("version", pg.options().version);
        Map<String, Object> out = new TreeMap<>();
        out.put("build_information", build);
        out.put("flags", new TreeMap<>(pg.flags()));
        out.put("start_time", GoTime.rfc3339Nano(pg.startTime()));
        return out;
    }

    private List<Object> metricsJson() {
        List<Object> out = new ArrayList<>();
        for (MetricStore.Group g : pg.store().groups()) {
            Map<String, Object> group = new TreeMap<>();
            group.put("labels", new TreeMap<>(g.key().labels()));
            group.put("last_push_successful", g.lastPushSuccessful());
            for (MetricStore.TimestampedFamily tf : g.families().values()) {
                MetricFamily mf = tf.family();
                Map<String, Object> fam = new LinkedHashMap<>();
                fam.put("time_stamp", GoTime.rfc3339Nano(tf.time()));
                fam.put("type", mf.getType().name());
                if (!mf.getHelp().isEmpty()) {
                    fam.put("help", mf.getHelp());
                }
                List<Object> metrics = new ArrayList<>();
                for (Metric m : mf.getMetricList()) {
                    metrics.add(metricJson(mf, m));
                }
                fam.put("metrics", metrics);
                group.put(mf.getName(), fam);
            }
            out.add(group);
        }
        return out;
    }

    private static Map<String, Object> metricJson(MetricFamily mf, Metric m) {
        Map<String, Object> out = new TreeMap<>();
        Map<String, Object> labels = new TreeMap<>();
        for (LabelPair lp : m.getLabelList()) {
            labels.put(lp.getName(), lp.getValue());
        }
        out.put("labels", labels);
        switch (mf.getType()) {
            case SUMMARY -> {
                Map<String, Object> q = new TreeMap<>();
                for (Quantile x : m.getSummary().getQuantileList()) {
                    q.put(GoFloat.format(x.getQuantile()), GoFloat.format(x.getValue()));
                }
                out.put("quantiles", q);
                out.put("count", Long.toUnsignedString(m.getSummary().getSampleCount()));
                out.put("sum", GoFloat.format(m.getSummary().getSampleSum()));
            }
            case HISTOGRAM -> {
                var h = m.getHistogram();
                out.put("sum", GoFloat.format(h.getSampleSum()));
                Map<String, Object> buckets = new TreeMap<>();
                for (Bucket b : h.getBucketList()) {
                    buckets.put(GoFloat.format(b.getUpperBound()), b.getCumulativeCountFloat() > 0
                            ? GoFloat.format(b.getCumulativeCountFloat()) : Long.toUnsignedString(b.getCumulativeCount()));
                }
                out.put("buckets", buckets);
                out.put("count", h.getSampleCountFloat() > 0 ? GoFloat.format(h.getSampleCountFloat())
                        : Long.toUnsignedString(h.getSampleCount()));
            }
            default -> {
                double v = m.hasGauge() ? m.getGauge().getValue() : m.hasCounter() ? m.getCounter().getValue()
                        : m.hasUntyped() ? m.getUntyped().getValue() : 0;
                out.put("value", GoFloat.format(v));
            }
        }
        return out;
    }

    private static void methodNotAllowed(Response resp, Callback cb, String allow) {
        resp.getHeaders().put(HttpHeader.ALLOW, allow);
        text(resp, cb, 405, "Method Not Allowed\n");
    }

    static void text(Response resp, Callback cb, int status, String text) {
        resp.setStatus(status);
        if (!text.isEmpty()) {
            resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        }
        resp.write(true, StandardCharsets.UTF_8.encode(text), cb);
    }

    int port() {
        return server.port();
    }

    void stop() {
        server.stop();
    }
}
