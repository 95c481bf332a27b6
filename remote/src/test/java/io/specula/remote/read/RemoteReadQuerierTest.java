package io.specula.remote.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.remote.SnappyBlock;
import io.specula.remote.prompb.Prompb;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The remote-read querier against a scripted server answering with sampled responses. */
class RemoteReadQuerierTest {
    HttpServer server;
    final List<Prompb.ReadRequest> requests = new CopyOnWriteArrayList<>();
    final List<String> headers = new CopyOnWriteArrayList<>();
    volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/read", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            headers.add(ex.getRequestHeaders().getFirst("X-Scope-OrgID") + " " + ex.getRequestHeaders().getFirst("X-Prometheus-Remote-Read-Version"));
            Prompb.ReadRequest req;
            try {
                req = Prompb.ReadRequest.parseFrom(SnappyBlock.decode(body, 1 << 20));
            } catch (Exception e) {
                throw new IOException(e);
            }
            requests.add(req);
            byte[] out;
            if (status != 200) {
                out = "boom\n".getBytes();
            } else {
                // Echoes the matchers as a series (with the external label), samples at start and end.
                Prompb.Query q = req.getQueries(0);
                Prompb.TimeSeries.Builder ts = Prompb.TimeSeries.newBuilder()
                        .addLabels(Prompb.Label.newBuilder().setName("__name__").setValue("m"))
                        .addLabels(Prompb.Label.newBuilder().setName("site").setValue("x"))
                        .addLabels(Prompb.Label.newBuilder().setName("z").setValue("1"))
                        .addSamples(Prompb.Sample.newBuilder().setTimestamp(q.getStartTimestampMs()).setValue(1))
                        .addSamples(Prompb.Sample.newBuilder().setTimestamp(q.getEndTimestampMs()).setValue(2));
                out = SnappyBlock.encode(Prompb.ReadResponse.newBuilder().addResults(Prompb.QueryResult.newBuilder()
                        .addTimeseries(ts)).build().toByteArray());
                ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                ex.getResponseHeaders().set("Content-Encoding", "snappy");
            }
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    RemoteReadConfig config(boolean readRecent, Map<String, String> required, Boolean filter) throws Exception {
        RemoteReadConfig c = new RemoteReadConfig();
        c.url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/read";
        c.name = "scripted";
        c.readRecent = readRecent;
        c.requiredMatchers = required;
        c.filterExternalLabels = filter;
        c.headers = Map.of("X-Scope-OrgID", "t1");
        c.remoteTimeout = PromDuration.ofSeconds(5);
        c.validate();
        return c;
    }

    static List<String> drain(SeriesSet ss) {
        List<String> out = new ArrayList<>();
        while (ss.next()) {
            StringBuilder b = new StringBuilder(ss.at().labels().toString());
            SampleIterator it = ss.at().iterator(null);
            while (it.next() == ValueType.FLOAT) {
                b.append(' ').append(it.atT()).append('=').append(it.atV());
            }
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void select_addsExternalLabelMatcher_andStripsItFromResults() throws Exception {
        try (RemoteReadClient c = new RemoteReadClient(config(true, null, null), "Specula/test")) {
            RemoteReadQuerier q = new RemoteReadQuerier(c, 1000, 5000, Labels.of("site", "x"), 0);
            SeriesSet ss = q.select(true, null, Matcher.equal("__name__", "m"));
            assertThat(drain(ss)).containsExactly("{__name__=\"m\", z=\"1\"} 1000=1.0 5000=2.0");
            Prompb.Query sent = requests.getFirst().getQueries(0);
            assertThat(sent.getMatchersList()).extracting(Prompb.LabelMatcher::getName).containsExactly("__name__", "site");
            assertThat(requests.getFirst().getAcceptedResponseTypesList())
                    .containsExactly(Prompb.ReadRequest.ResponseType.STREAMED_XOR_CHUNKS, Prompb.ReadRequest.ResponseType.SAMPLES);
            assertThat(headers).containsExactly("t1 0.1.0");
        }
    }

    @Test
    void select_withoutFilter_keepsExternalLabel_andReadRecentOffCapsTheEnd() throws Exception {
        try (RemoteReadClient c = new RemoteReadClient(config(false, null, false), "Specula/test")) {
            RemoteReadQuerier q = new RemoteReadQuerier(c, 1000, 5000, Labels.of("site", "x"), 3000);
            assertThat(drain(q.select(true, null, Matcher.equal("__name__", "m"))))
                    .containsExactly("{__name__=\"m\", site=\"x\", z=\"1\"} 1000=1.0 3000=2.0");
            // A query entirely after the local start is not sent.
            RemoteReadQuerier late = new RemoteReadQuerier(c, 4000, 5000, Labels.EMPTY, 3000);
            assertThat(drain(late.select(true, null, Matcher.equal("__name__", "m")))).isEmpty();
            assertThat(requests).hasSize(1);
        }
    }

    @Test
    void requiredMatchers_gateTheRequest() throws Exception {
        try (RemoteReadClient c = new RemoteReadClient(config(true, Map.of("job", "a"), null), "Specula/test")) {
            assertThat(drain(new RemoteReadQuerier(c, 0, 10, Labels.EMPTY, 0).select(true, null, Matcher.equal("__name__", "m"))))
                    .isEmpty();
            assertThat(requests).isEmpty();
            assertThat(drain(new RemoteReadQuerier(c, 0, 10, Labels.EMPTY, 0)
                    .select(true, null, Matcher.equal("__name__", "m"), Matcher.equal("job", "a")))).hasSize(1);
        }
    }

    @Test
    void serverError_isAWarning() throws Exception {
        status = 500;
        try (RemoteReadClient c = new RemoteReadClient(config(true, null, null), "Specula/test")) {
            SeriesSet ss = new RemoteReadQuerier(c, 0, 10, Labels.EMPTY, 0).select(true, null, Matcher.equal("__name__", "m"));
            assertThat(ss.next()).isFalse();
            assertThat(ss.err()).isNull();
            assertThat(ss.warnings()).singleElement().asString()
                    .contains("scripted").contains("returned HTTP status 500").contains("boom");
        }
    }

    @Test
    void config_refusesReservedHeadersAndEmptyUrl() {
        RemoteReadConfig c = new RemoteReadConfig();
        org.assertj.core.api.Assertions.assertThatThrownBy(c::validate).hasMessage("url for remote_read is empty");
        c.url = "http://x/api/v1/read";
        c.headers = Map.of("Content-Type", "x");
        org.assertj.core.api.Assertions.assertThatThrownBy(c::validate).hasMessage("Content-Type is a reserved header. It must not be changed");
    }
}
