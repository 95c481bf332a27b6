package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.specula.remote.SnappyBlock;
import io.specula.remote.prompb.Prompb;
import io.specula.remote.writev2.WriteV2;
import io.specula.testsupport.Await;
import io.specula.testsupport.RealPrometheus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code metadata_config}: Specula and Prometheus 2.42 scrape the same OpenMetrics target and
 * remote-write to one recording receiver (Prometheus 2.42's own receiver does not store metadata,
 * so the receiver decodes the requests itself). Over remote write 1.0 both must send the same
 * {@code MetricMetadata} entries; over 2.0 (Specula only: 2.42 has no 2.0) every series carries
 * its family's type, help and unit as symbol references.
 */
class RemoteWriteMetadataTest {
    static final String EXPOSITION = """
            # TYPE http_requests counter
            # HELP http_requests Requests served.
            http_requests_total{code="200"} 10
            # TYPE room_temperature_celsius gauge
            # UNIT room_temperature_celsius celsius
            # HELP room_temperature_celsius Room temperature.
            room_temperature_celsius 21.5
            # TYPE rpc_seconds summary
            # UNIT rpc_seconds seconds
            # HELP rpc_seconds RPC latency.
            rpc_seconds{quantile="0.5"} 0.1
            rpc_seconds_sum 3.0
            rpc_seconds_count 10
            # TYPE req_size_bytes histogram
            # HELP req_size_bytes Request sizes with "quotes" and \\\\ a backslash.
            req_size_bytes_bucket{le="100.0"} 1
            req_size_bytes_bucket{le="+Inf"} 2
            req_size_bytes_sum 150.0
            req_size_bytes_count 2
            # TYPE build info
            build_info{version="1.2"} 1
            # TYPE mystery unknown
            mystery 3
            # EOF
            """;

    @TempDir
    Path dir;

    /** Metadata entries and 2.0 series metadata per receiving path. */
    static final class Recorder implements AutoCloseable {
        final HttpServer server;
        final Map<String, Set<String>> metadataV1 = new ConcurrentHashMap<>();
        final Map<String, String> seriesMetaV2 = new ConcurrentHashMap<>();

        Recorder() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        void handle(HttpExchange ex) throws IOException {
            try (ex) {
                byte[] raw = SnappyBlock.decode(ex.getRequestBody().readAllBytes(), 64 << 20);
                String ct = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
                if (ct.contains("io.prometheus.write.v2.Request")) {
                    WriteV2.Request r = WriteV2.Request.parseFrom(raw);
                    int samples = 0;
                    for (WriteV2.TimeSeries ts : r.getTimeseriesList()) {
                        StringBuilder name = new StringBuilder();
                        for (int i = 0; i + 1 < ts.getLabelsRefsCount(); i += 2) {
                            if (r.getSymbols(ts.getLabelsRefs(i)).equals("__name__")) {
                                name.append(r.getSymbols(ts.getLabelsRefs(i + 1)));
                            }
                        }
                        samples += ts.getSamplesCount();
                        WriteV2.Metadata m = ts.getMetadata();
                        seriesMetaV2.put(name.toString(), m.getTypeValue() + "|" + r.getSymbols(m.getHelpRef()) + "|"
                                + r.getSymbols(m.getUnitRef()));
                    }
                    ex.getResponseHeaders().set("X-Prometheus-Remote-Write-Samples-Written", Integer.toString(samples));
                    ex.getResponseHeaders().set("X-Prometheus-Remote-Write-Histograms-Written", "0");
                    ex.getResponseHeaders().set("X-Prometheus-Remote-Write-Exemplars-Written", "0");
                } else {
                    Prompb.WriteRequest r = Prompb.WriteRequest.parseFrom(raw);
                    for (Prompb.MetricMetadata m : r.getMetadataList()) {
                        metadataV1.computeIfAbsent(ex.getRequestURI().getPath(), k -> ConcurrentHashMap.newKeySet())
                                .add(m.getMetricFamilyName() + "|" + m.getType() + "|" + m.getHelp() + "|" + m.getUnit());
                    }
                }
                ex.sendResponseHeaders(204, -1);
            } catch (Exception e) {
                byte[] b = e.toString().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(400, b.length);
                ex.getResponseBody().write(b);
            }
        }

        Set<String> v1(String path) {
            return new TreeSet<>(metadataV1.getOrDefault(path, Set.of()));
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static HttpServer target() throws IOException {
        HttpServer t = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        t.createContext("/metrics", ex -> {
            byte[] b = EXPOSITION.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        t.start();
        return t;
    }

    static String config(int targetPort, String remoteWrite) {
        return """
                global: {scrape_interval: 1s}
                scrape_configs:
                  - job_name: app
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                remote_write:
                %s""".formatted(targetPort, remoteWrite);
    }

    @Test
    void metadata_v1SameAsPrometheus_v2PerSeries() throws Exception {
        assumeTrue(RealPrometheus.available(), "Debian package 'prometheus' (2.42) not installed: /usr/bin/prometheus missing");
        HttpServer target = target();
        int port = target.getAddress().getPort();
        try (Recorder rx = new Recorder()) {
            String entry = """
                      - url: %s
                        name: %s
                        metadata_config: {send_interval: 1s}
                        queue_config: {batch_send_deadline: 200ms}
                """;
            Path promCfg = Files.writeString(dir.resolve("prom.yml"), config(port, entry.formatted(rx.url("/prom"), "p")));
            Path specCfg = Files.writeString(dir.resolve("specula.yml"), config(port, entry.formatted(rx.url("/specula"), "s1")
                    + entry.formatted(rx.url("/specula2"), "s2") + "        protobuf_message: io.prometheus.write.v2.Request\n"));
            ServerCommand cmd = new ServerCommand();
            new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=" + dir.resolve("specula"),
                    "--config.file=" + specCfg);
            try (RealPrometheus prom = RealPrometheus.start(promCfg, dir.resolve("prom"), List.of());
                    Server specula = Server.start(cmd.options())) {
                Await.until(Duration.ofSeconds(40), () -> rx.v1("/prom").size() >= 6 && rx.v1("/specula").size() >= 6
                        && rx.seriesMetaV2.getOrDefault("req_size_bytes_bucket", "").startsWith("3|"));
                Set<String> fromPrometheus = rx.v1("/prom");
                assertThat(fromPrometheus).as("what Prometheus 2.42 sent; its log: %s", prom.log()).contains(
                        "http_requests|COUNTER|Requests served.|",
                        "room_temperature_celsius|GAUGE|Room temperature.|celsius");
                assertThat(rx.v1("/specula")).as("Specula's 1.0 metadata against Prometheus 2.42's").isEqualTo(fromPrometheus);
                String metrics = TargetsComparison.get("http://127.0.0.1:" + specula.port() + "/metrics");
                assertThat(metrics).containsPattern("prometheus_remote_storage_metadata_total\\{remote_name=\"s1\",url=\"[^\"]+\"} [1-9]");
                assertThat(metrics).containsPattern("prometheus_remote_storage_metadata_bytes_total\\{remote_name=\"s1\",url=\"[^\"]+\"} [1-9]");
                // 2.0: no metadata requests, each series carries its family's (type number|help|unit).
                assertThat(rx.v1("/specula2")).isEmpty();
                assertThat(rx.seriesMetaV2).containsEntry("http_requests_total", "1|Requests served.|")
                        .containsEntry("room_temperature_celsius", "2|Room temperature.|celsius")
                        .containsEntry("rpc_seconds", "5|RPC latency.|seconds")
                        .containsEntry("rpc_seconds_count", "5|RPC latency.|seconds")
                        .containsEntry("req_size_bytes_bucket", "3|Request sizes with \"quotes\" and \\ a backslash.|")
                        .containsEntry("req_size_bytes_sum", "3|Request sizes with \"quotes\" and \\ a backslash.|")
                        .containsEntry("build_info", "6||")
                        .containsEntry("mystery", "0||")
                        .containsEntry("up", "0||");
            }
        } finally {
            target.stop(0);
        }
    }
}
