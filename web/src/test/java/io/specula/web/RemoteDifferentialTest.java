package io.specula.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.remote.ChunkedFrames;
import io.specula.remote.SnappyBlock;
import io.specula.remote.prompb.Prompb;
import io.specula.tsdb.DB;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Specula against the real Prometheus (Debian's 2.42): Prometheus "A" scrapes itself every
 * second and remote-writes to Specula; Prometheus "B", with an empty TSDB, has Specula as its
 * {@code remote_read} endpoint (through a recording proxy that notes the response types it
 * asks for). The samples must agree everywhere: A's own TSDB, Specula's, B's answers, and the
 * streamed XOR chunks of A's and Specula's {@code /api/v1/read}.
 */
class RemoteDifferentialTest {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Process promA;
    static Process promB;
    static Http a;
    static Http b;
    static int portA;
    static int portBWrite;
    static WebServer server;
    static TestContext ctx;
    static HttpServer proxy;
    static final List<List<Integer>> askedTypes = new CopyOnWriteArrayList<>();
    /** The compared window, [start, end] in ms, once Specula has received it. */
    static long start;
    static long end;

    @BeforeAll
    static void startAll() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS),
                "SKIPPED LOUDLY: " + PROMETHEUS + " not installed (Debian package prometheus); the remote write/read differential test needs it");
        ctx = new TestContext();
        ctx.flags.put("web.enable-remote-write-receiver", "true");
        ctx.externalLabels = Labels.of("site", "spec");
        ctx.db = DB.open(tmp.resolve("specula-data"), new DB.Options(Head.DEFAULT_CHUNK_RANGE, 10 * Head.DEFAULT_CHUNK_RANGE, 0, 0));
        server = WebServer.start(ctx, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2), Duration.ofMinutes(5)));
        startProxy();

        portA = WebDifferentialTest.freePort();
        Path cfgA = tmp.resolve("a.yml");
        Files.writeString(cfgA, String.format(Locale.ROOT, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: self
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                remote_write:
                  - url: http://127.0.0.1:%d/api/v1/write
                    queue_config: {batch_send_deadline: 500ms, max_shards: 2}
                """, portA, server.port()));
        promA = startPrometheus("a", cfgA, portA);
        a = new Http(portA);

        int portB = WebDifferentialTest.freePort();
        Path cfgB = tmp.resolve("b.yml");
        Files.writeString(cfgB, String.format(Locale.ROOT, """
                global:
                  scrape_interval: 15s
                remote_read:
                  - url: http://127.0.0.1:%d/api/v1/read
                    read_recent: true
                """, proxy.getAddress().getPort()));
        promB = startPrometheus("b", cfgB, portB, "--web.enable-remote-write-receiver", "--enable-feature=native-histograms");
        portBWrite = portB;
        b = new Http(portB);
        awaitReady(promA, a, "a");
        awaitReady(promB, b, "b");
        awaitWindow();
    }

    /** Forwards remote-read requests to Specula, noting the accepted response types of each. */
    static void startProxy() throws IOException {
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/api/v1/read", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                askedTypes.add(List.copyOf(Prompb.ReadRequest.parseFrom(SnappyBlock.decode(body, 1 << 26)).getAcceptedResponseTypesValueList()));
                HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/read"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                for (String h : List.of("Content-Type", "Content-Encoding", "X-Prometheus-Remote-Read-Version")) {
                    String v = ex.getRequestHeaders().getFirst(h);
                    if (v != null) {
                        rb.header(h, v);
                    }
                }
                HttpResponse<byte[]> r = CLIENT.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                r.headers().map().forEach((k, v) -> {
                    if (!k.equalsIgnoreCase("content-length") && !k.equalsIgnoreCase("transfer-encoding") && !k.equals(":status")) {
                        ex.getResponseHeaders().put(k, v);
                    }
                });
                ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(r.body());
                }
            } catch (Exception e) {
                byte[] msg = e.toString().getBytes();
                ex.sendResponseHeaders(502, msg.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(msg);
                }
            }
        });
        proxy.start();
    }

    static Process startPrometheus(String name, Path cfg, int port, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(PROMETHEUS.toString(), "--config.file=" + cfg,
                "--storage.tsdb.path=" + tmp.resolve(name + "-data"), "--web.listen-address=127.0.0.1:" + port));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile()).start();
    }

    static void awaitReady(Process p, Http h, String name) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                if (h.get("/-/ready").status() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.currentTimeMillis() > deadline || !p.isAlive()) {
                throw new IllegalStateException("prometheus " + name + " did not become ready: " + Files.readString(tmp.resolve(name + ".log")));
            }
            Thread.sleep(100);
        }
    }

    /** Waits until Specula holds about 6 s of A's scrapes; the window starts after the first scrape. */
    static void awaitWindow() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        long first = -1;
        while (System.currentTimeMillis() < deadline) {
            List<long[]> up = upSamples();
            if (!up.isEmpty()) {
                if (first < 0) {
                    first = up.get(0)[0];
                }
                long last = up.get(up.size() - 1)[0];
                if (last >= first + 7000) {
                    start = first + 1000;
                    end = last;
                    Thread.sleep(3000); // the rest of the last scrape's series arrive in the same or the next batch
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Specula did not receive A's samples: " + Files.readString(tmp.resolve("a.log")));
    }

    static List<long[]> upSamples() throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Querier q = ctx.db.querier(0, Long.MAX_VALUE / 2)) {
            SeriesSet ss = q.select(true, null, Matcher.equal("__name__", "up"), Matcher.equal("job", "self"));
            while (ss.next()) {
                SampleIterator it = ss.at().iterator(null);
                while (it.next() == ValueType.FLOAT) {
                    out.add(new long[] {it.atT()});
                }
            }
        }
        return out;
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (Process p : new Process[] {promA, promB}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        if (proxy != null) {
            proxy.stop(0);
        }
        if (server != null) {
            server.stop();
            ctx.db.close();
        }
    }

    /** Series key (sorted name=value list, without {@code drop}) to its samples as "t=v" strings. */
    static Map<String, List<String>> fromQueryApi(Http h, String selector, String drop) throws Exception {
        String q = Http.q("query", selector + "[" + (end - start) + "ms]", "time", String.format(Locale.ROOT, "%d.%03d", end / 1000, end % 1000));
        Http.Resp r = h.get("/api/v1/query?" + q);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode res = JSON.readTree(r.body()).get("data").get("result");
        Map<String, List<String>> out = new TreeMap<>();
        for (JsonNode s : res) {
            Map<String, String> ls = new TreeMap<>();
            s.get("metric").properties().forEach(e -> ls.put(e.getKey(), e.getValue().asString()));
            if (drop != null) {
                ls.remove(drop);
            }
            List<String> samples = new ArrayList<>();
            for (JsonNode v : s.get("values")) {
                long t = Math.round(v.get(0).asDouble() * 1000);
                samples.add(t + "=" + Double.valueOf(v.get(1).asString()));
            }
            out.put(ls.toString(), samples);
        }
        return out;
    }

    static Map<String, List<String>> fromSpecula(String... matchers) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        Matcher[] ms = new Matcher[matchers.length / 2];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = Matcher.equal(matchers[2 * i], matchers[2 * i + 1]);
        }
        try (Querier q = ctx.db.querier(start, end)) {
            SeriesSet ss = q.select(true, null, ms);
            while (ss.next()) {
                Map<String, String> ls = new TreeMap<>();
                ss.at().labels().forEach(ls::put);
                List<String> samples = new ArrayList<>();
                SampleIterator it = ss.at().iterator(null);
                while (it.next() == ValueType.FLOAT) {
                    if (Double.doubleToRawLongBits(it.atV()) != 0x7ff0000000000002L) { // the query API hides staleness markers
                        samples.add(it.atT() + "=" + Double.valueOf(it.atV()));
                    }
                }
                if (!samples.isEmpty()) {
                    out.put(ls.toString(), samples);
                }
            }
        }
        return out;
    }

    @Test
    void remoteWrite_speculaStoresWhatPrometheusStores() throws Exception {
        Map<String, List<String>> prom = fromQueryApi(a, "{job=\"self\"}", null);
        Map<String, List<String>> spec = fromSpecula("job", "self");
        assertThat(prom.size()).as("series in the window").isGreaterThan(100);
        assertThat(spec.keySet()).isEqualTo(prom.keySet());
        for (String k : prom.keySet()) {
            assertThat(spec.get(k)).as(k).isEqualTo(prom.get(k));
        }
        assertThat(prom.get("{__name__=up, instance=127.0.0.1:" + portA + ", job=self}")).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void remoteRead_prometheusWithEmptyTsdbAnswersWithSpeculasData() throws Exception {
        Map<String, List<String>> viaB = fromQueryApi(b, "{job=\"self\"}", "site");
        Map<String, List<String>> spec = fromSpecula("job", "self");
        assertThat(viaB.size()).isGreaterThan(100);
        assertThat(viaB).isEqualTo(spec);
        // Specula's external label comes with every series; a matcher on it is satisfied by it.
        Http.Resp r = b.get("/api/v1/query?" + Http.q("query", "count(up{site=\"spec\"})",
                "time", String.format(Locale.ROOT, "%d.%03d", end / 1000, end % 1000)));
        assertThat(JSON.readTree(r.body()).get("data").get("result").get(0).get("value").get(1).asString()).isEqualTo("1");
        assertThat(askedTypes).as("response types Prometheus 2.42 asked for").isNotEmpty();
        System.out.println("Prometheus 2.42 remote_read accepted_response_types per request: " + askedTypes);
    }

    /**
     * The same remote-write requests to B (Prometheus 2.42 with its receiver on; the probe series
     * have no job label, so they stay out of the other tests) and to Specula: same status and text.
     */
    @Test
    void remoteWrite_statusCodesAndTextsAsPrometheus() throws Exception {
        long now = System.currentTimeMillis();
        record Case(String what, byte[] body, boolean compareText) {}
        List<Case> cases = List.of(
                new Case("first sample", v1("rw_probe_a", now, 1, false), true),
                new Case("out of order", v1("rw_probe_a", now - 60_000, 2, false), true),
                new Case("duplicate timestamp, other value", v1("rw_probe_a", now, 3, false), true),
                new Case("same sample again", v1("rw_probe_a", now, 1, false), true),
                new Case("native histogram", v1("rw_probe_h", now, 1, true), true),
                new Case("native histogram, out of order", v1("rw_probe_h", now - 60_000, 1, true), true),
                new Case("corrupt snappy", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1}, false),
                new Case("not a WriteRequest", SnappyBlock.encode(new byte[] {(byte) 0xff, 0x13, 0x00}), false));
        for (Case c : cases) {
            HttpResponse<String> p = post(portBWrite, c.body());
            HttpResponse<String> s = post(server.port(), c.body());
            assertThat(s.statusCode()).as(c.what() + ": Prometheus said " + p.body()).isEqualTo(p.statusCode());
            if (c.compareText()) {
                assertThat(s.body()).as(c.what()).isEqualTo(p.body());
            }
        }
    }

    static byte[] v1(String name, long t, double v, boolean histogram) {
        Prompb.TimeSeries.Builder ts = Prompb.TimeSeries.newBuilder()
                .addLabels(Prompb.Label.newBuilder().setName("__name__").setValue(name));
        if (histogram) {
            ts.addHistograms(Prompb.Histogram.newBuilder().setCountInt(2).setSum(3).setSchema(0).setZeroThreshold(1e-128)
                    .setZeroCountInt(0).addPositiveSpans(Prompb.BucketSpan.newBuilder().setOffset(0).setLength(1))
                    .addPositiveDeltas(2).setTimestamp(t));
        } else {
            ts.addSamples(Prompb.Sample.newBuilder().setTimestamp(t).setValue(v));
        }
        return SnappyBlock.encode(Prompb.WriteRequest.newBuilder().addTimeseries(ts).build().toByteArray());
    }

    static HttpResponse<String> post(int port, byte[] body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/write"))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The same streamed read against A (the anchor) and Specula decodes to the same samples. */
    @Test
    void streamedRead_sameSamplesAsPrometheus() throws Exception {
        byte[] req = SnappyBlock.encode(Prompb.ReadRequest.newBuilder()
                .addQueries(Prompb.Query.newBuilder().setStartTimestampMs(start).setEndTimestampMs(end)
                        .addMatchers(Prompb.LabelMatcher.newBuilder().setName("job").setValue("self")))
                .addAcceptedResponseTypes(Prompb.ReadRequest.ResponseType.STREAMED_XOR_CHUNKS).build().toByteArray());
        Map<String, List<String>> prom = streamed(portA, req, null);
        Map<String, List<String>> spec = streamed(server.port(), req, "site");
        assertThat(prom.size()).isGreaterThan(100);
        assertThat(spec).isEqualTo(prom);
    }

    static Map<String, List<String>> streamed(int port, byte[] req, String drop) throws Exception {
        HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/read"))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Read-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(req)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
                .isEqualTo("application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse");
        Map<String, List<String>> out = new TreeMap<>();
        ByteArrayInputStream in = new ByteArrayInputStream(r.body());
        byte[] msg;
        while ((msg = ChunkedFrames.read(in, 1 << 20)) != null) {
            for (Prompb.ChunkedSeries cs : Prompb.ChunkedReadResponse.parseFrom(msg).getChunkedSeriesList()) {
                Map<String, String> ls = new TreeMap<>();
                cs.getLabelsList().forEach(l -> ls.put(l.getName(), l.getValue()));
                if (drop != null) {
                    ls.remove(drop);
                }
                List<String> samples = out.computeIfAbsent(ls.toString(), k -> new ArrayList<>());
                for (Prompb.Chunk c : cs.getChunksList()) {
                    assertThat(c.getType()).isEqualTo(Prompb.Chunk.Encoding.XOR);
                    byte[] data = c.getData().toByteArray();
                    SampleIterator it = XorChunk.fromData(data, data.length).iterator(null);
                    while (it.next() == ValueType.FLOAT) {
                        if (it.atT() >= start && it.atT() <= end) { // Prometheus sends whole chunks
                            samples.add(it.atT() + "=" + Long.toHexString(Double.doubleToRawLongBits(it.atV())));
                        }
                    }
                    assertThat(it.err()).isNull();
                }
            }
        }
        out.values().removeIf(List::isEmpty);
        return out;
    }
}
