package io.specula.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.remote.SnappyBlock;
import io.specula.remote.prompb.Prompb;
import io.specula.remote.writev2.WriteV2;
import io.specula.tsdb.DB;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote endpoints over HTTP: flag gating, methods, readiness, headers. */
class RemoteEndpointsTest {
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path tmp;
    TestContext ctx;
    WebServer server;

    void start(boolean receiver, boolean withDb) throws Exception {
        ctx = new TestContext();
        ctx.flags.put("web.enable-remote-write-receiver", String.valueOf(receiver));
        ctx.db = withDb ? DB.open(tmp, DB.Options.defaults()) : null;
        server = WebServer.start(ctx, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2), Duration.ofMinutes(5)));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (ctx != null && ctx.db != null) {
            ctx.db.close();
        }
    }

    HttpResponse<String> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] v2Body(long t) {
        return SnappyBlock.encode(WriteV2.Request.newBuilder().addSymbols("").addSymbols("__name__").addSymbols("m")
                .addTimeseries(WriteV2.TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(2)
                        .addSamples(WriteV2.Sample.newBuilder().setTimestamp(t).setValue(1)))
                .build().toByteArray());
    }

    @Test
    void write_disabled_404WithPrometheusText() throws Exception {
        start(false, true);
        HttpResponse<String> r = send("POST", "/api/v1/write", v2Body(1000));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("remote write receiver needs to be enabled with --web.enable-remote-write-receiver\n");
    }

    @Test
    void write_v2_204WithWrittenHeaders_andMethodsAndContentType() throws Exception {
        start(true, true);
        HttpResponse<String> r = send("POST", "/api/v1/write", v2Body(System.currentTimeMillis()),
                "Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request", "Content-Encoding", "snappy",
                "X-Prometheus-Remote-Write-Version", "2.0.0");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(r.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written")).hasValue("1");
        assertThat(send("GET", "/metrics", null).body()).contains("prometheus_api_remote_write_invalid_labels_samples_total 0.0");
        assertThat(send("GET", "/api/v1/write", null).statusCode()).isEqualTo(405);
        assertThat(send("POST", "/api/v1/write", v2Body(1), "Content-Type", "text/plain").statusCode()).isEqualTo(415);
        HttpResponse<String> ooo = send("POST", "/api/v1/write", v2Body(1000),
                "Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request");
        assertThat(ooo.statusCode()).isEqualTo(400);
        assertThat(ooo.body()).startsWith("out of bounds for series {__name__=\"m\"}");
    }

    @Test
    void notReady_503() throws Exception {
        start(true, false);
        assertThat(send("POST", "/api/v1/write", v2Body(1)).statusCode()).isEqualTo(503);
        assertThat(send("POST", "/api/v1/read", new byte[0]).statusCode()).isEqualTo(503);
    }

    @Test
    void read_sampledOverHttp() throws Exception {
        start(false, true);
        ctx.externalLabels = Labels.of("dc", "x");
        byte[] req = SnappyBlock.encode(Prompb.ReadRequest.newBuilder().addQueries(Prompb.Query.newBuilder()
                .setStartTimestampMs(0).setEndTimestampMs(10).addMatchers(Prompb.LabelMatcher.newBuilder().setName("__name__").setValue("m")))
                .build().toByteArray());
        HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/read"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(req)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("snappy");
        assertThat(Prompb.ReadResponse.parseFrom(SnappyBlock.decode(r.body(), 1 << 20)).getResultsCount()).isEqualTo(1);
        assertThat(send("GET", "/api/v1/read", null).statusCode()).isEqualTo(405);
    }
}
