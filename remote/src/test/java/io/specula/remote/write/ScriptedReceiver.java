package io.specula.remote.write;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.specula.remote.SnappyBlock;
import io.specula.remote.prompb.Prompb;
import io.specula.remote.writev2.WriteV2;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A remote-write receiver for tests: decodes 1.0 and 2.0 requests, records them, and answers
 * from a script (a queue of answers, then 204; or a function of the request).
 */
final class ScriptedReceiver implements AutoCloseable {
    /** One request as received. */
    record Req(long atNanos, Map<String, List<String>> headers, List<Sample> samples, int status) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().getFirst();
                }
            }
            return null;
        }
    }

    /** One sample with its series as text ({@code name{a="b",...}}). */
    record Sample(String series, long t, double v) {
    }

    /**
     * A native histogram or an exemplar as received; {@code msg} is a 1.0 {@code Prompb.Histogram}
     * or {@code Prompb.Exemplar} (2.0 histograms are re-read as 1.0's, same field numbers),
     * {@code created} 2.0's {@code created_timestamp} (0 in 1.0).
     */
    record Other(String series, Object msg, long created) {
    }

    /** An answer: status and extra headers. */
    record Answer(int status, Map<String, String> headers) {
        static Answer of(int status) {
            return new Answer(status, Map.of());
        }
    }

    final List<Req> requests = new CopyOnWriteArrayList<>();
    /** Histograms and exemplars of the requests answered 2xx, in arrival order. */
    final List<Other> others = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    volatile Function<Req, Answer> policy = r -> null;
    /** Whether 2xx answers to 2.0 requests carry the 2.0 "written" headers (a 1.0-only receiver sends none). */
    volatile boolean writtenHeaders = true;
    private final HttpServer server;

    ScriptedReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/write", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        List<Sample> samples = new ArrayList<>();
        List<Other> other = new ArrayList<>();
        try {
            byte[] raw = SnappyBlock.decode(body, 64 << 20);
            if (ct != null && ct.contains("io.prometheus.write.v2.Request")) {
                WriteV2.Request r = WriteV2.Request.parseFrom(raw);
                for (WriteV2.TimeSeries ts : r.getTimeseriesList()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < ts.getLabelsRefsCount(); i += 2) {
                        sb.append(sb.isEmpty() ? "" : ",").append(r.getSymbols(ts.getLabelsRefs(i))).append('=')
                                .append(r.getSymbols(ts.getLabelsRefs(i + 1)));
                    }
                    for (WriteV2.Sample s : ts.getSamplesList()) {
                        samples.add(new Sample(sb.toString(), s.getTimestamp(), s.getValue()));
                    }
                    for (WriteV2.Histogram h : ts.getHistogramsList()) {
                        other.add(new Other(sb.toString(), Prompb.Histogram.parseFrom(h.toByteString()), ts.getCreatedTimestamp()));
                    }
                    for (WriteV2.Exemplar e : ts.getExemplarsList()) {
                        Prompb.Exemplar.Builder b = Prompb.Exemplar.newBuilder().setValue(e.getValue()).setTimestamp(e.getTimestamp());
                        for (int i = 0; i < e.getLabelsRefsCount(); i += 2) {
                            b.addLabels(Prompb.Label.newBuilder().setName(r.getSymbols(e.getLabelsRefs(i)))
                                    .setValue(r.getSymbols(e.getLabelsRefs(i + 1))));
                        }
                        other.add(new Other(sb.toString(), b.build(), ts.getCreatedTimestamp()));
                    }
                }
            } else {
                Prompb.WriteRequest r = Prompb.WriteRequest.parseFrom(raw);
                for (Prompb.TimeSeries ts : r.getTimeseriesList()) {
                    StringBuilder sb = new StringBuilder();
                    for (Prompb.Label l : ts.getLabelsList()) {
                        sb.append(sb.isEmpty() ? "" : ",").append(l.getName()).append('=').append(l.getValue());
                    }
                    for (Prompb.Sample s : ts.getSamplesList()) {
                        samples.add(new Sample(sb.toString(), s.getTimestamp(), s.getValue()));
                    }
                    for (Prompb.Histogram h : ts.getHistogramsList()) {
                        other.add(new Other(sb.toString(), h, 0));
                    }
                    for (Prompb.Exemplar e : ts.getExemplarsList()) {
                        other.add(new Other(sb.toString(), e, 0));
                    }
                }
            }
        } catch (Exception e) {
            ex.sendResponseHeaders(400, -1);
            ex.close();
            return;
        }
        Req req = new Req(System.nanoTime(), Map.copyOf(ex.getRequestHeaders()), samples, 0);
        Answer a = script.poll();
        if (a == null) {
            a = policy.apply(req);
        }
        if (a == null) {
            a = Answer.of(204);
        }
        requests.add(new Req(req.atNanos(), req.headers(), samples, a.status()));
        if (a.status() / 100 == 2) {
            others.addAll(other);
        }
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        if (a.status() / 100 == 2 && ct != null && ct.contains("v2") && writtenHeaders) {
            ex.getResponseHeaders().add("X-Prometheus-Remote-Write-Samples-Written", Integer.toString(samples.size()));
        }
        ex.sendResponseHeaders(a.status(), -1);
        ex.close();
    }

    /** Samples of the requests answered 2xx, in arrival order. */
    List<Sample> accepted() {
        List<Sample> out = new ArrayList<>();
        for (Req r : requests) {
            if (r.status() / 100 == 2) {
                out.addAll(r.samples());
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
