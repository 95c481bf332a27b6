package io.specula.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.discovery.TargetGroup;
import io.specula.httpclient.HttpClients;
import io.specula.model.labels.Labels;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.tsdb.head.Head;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One test per hostile target shape of the reliability run (docs/reliability.md), each with a
 * small limit: the scrape fails with Prometheus's error text and what the scraper took from the
 * connection stays within the limit plus one read buffer, whatever the target sends.
 *
 * <p>The targets are raw sockets, so a body can be endless, slow or a lie about its framing.
 */
class HostileTargetTest {
    private static final long T0 = 1_700_000_000_000L;
    /** What a scraper may read past the limit: one read buffer of the client plus the gzip window. */
    private static final long SLACK = 64 * 1024;

    /** How a hostile target answers after the request head. */
    private interface Answer {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    private ServerSocket socket;
    private volatile Answer answer;
    private final AtomicLong written = new AtomicLong();
    private Head head;
    private HttpClient client;

    @BeforeEach
    void setUp() throws Exception {
        head = new Head();
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        HttpClients.stopQuietly(client);
        socket.close();
        head.close();
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            // read the request head
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            }
            answer.write(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    written.incrementAndGet();
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    written.addAndGet(len);
                }
            });
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the scraper hung up: expected for every hostile shape
        }
    }

    private static void head(OutputStream out, String contentType, String extra) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n" + extra + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static final String TEXT = "text/plain; version=0.0.4";

    private ScrapeLoop loop(String extraYaml) throws Exception {
        String yaml = "scrape_configs:\n  - job_name: hostile\n    scrape_interval: 15s\n    scrape_timeout: 2s\n"
                + extraYaml.indent(4);
        ScrapeConfig c = ScrapeConfigs.parse(yaml, "test.yml", GlobalConfig.defaults()).getFirst();
        client = HttpClients.create(c, "test");
        TargetGroup g = new TargetGroup("0", List.of(Labels.of("__address__", "127.0.0.1:" + socket.getLocalPort())), Labels.EMPTY);
        Target t = new TargetBuilder(c).build(g, g.targets().getFirst()).target();
        return new ScrapeLoop(t, c, new HttpScraper(client, c, t, 0), head, new ScrapeCache(), ScrapeOptions.DEFAULT, new ScrapeMetrics());
    }

    private HttpScraper scraper(ScrapeLoop l) throws Exception {
        var f = ScrapeLoop.class.getDeclaredField("scraper");
        f.setAccessible(true);
        return (HttpScraper) f.get(l);
    }

    private void assertFailed(ScrapeLoop l, String error) throws Exception {
        assertThat(l.target().health()).isEqualTo(Target.Health.DOWN);
        assertThat(l.target().lastError()).isEqualTo(error);
        assertThat(Stored.valuesAt(head, "up", T0)).containsExactly(0.0);
    }

    @Test
    void hugeBody_cutOffAtTheLimitNotReadToTheEnd() throws Exception {
        long size = 200L << 20; // announced and sent in full unless the scraper hangs up
        answer = out -> {
            head(out, TEXT, "Content-Length: " + size + "\r\n");
            byte[] line = "metric_with_a_long_name{label=\"value\"} 1\n".getBytes(StandardCharsets.US_ASCII);
            for (long n = 0; n < size; n += line.length) {
                out.write(line);
            }
        };
        ScrapeLoop l = loop("body_size_limit: 100KB");
        l.scrapeAndReport(T0);
        assertFailed(l, "body size limit exceeded");
        assertThat(scraper(l).wireBytes).isBetween(100L * 1024, 100L * 1024 + SLACK);
        assertThat(scraper(l).buf.length).as("a failed body is not kept").isEqualTo(64 * 1024);
    }

    @Test
    void endlessChunkedBody_cutOffAtTheLimit() throws Exception {
        answer = out -> {
            head(out, TEXT, "Transfer-Encoding: chunked\r\n");
            byte[] chunk = ("1000\r\n" + "a 1\n".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            while (true) {
                out.write(chunk);
            }
        };
        ScrapeLoop l = loop("body_size_limit: 64KB");
        l.scrapeAndReport(T0);
        assertFailed(l, "body size limit exceeded");
        assertThat(scraper(l).wireBytes).isBetween(64L * 1024, 64L * 1024 + SLACK);
    }

    @Test
    void slowEndlessBody_endsAtScrapeTimeout() throws Exception {
        answer = out -> {
            head(out, TEXT, "Transfer-Encoding: chunked\r\n");
            while (true) {
                out.write("4\r\na 1\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(50);
            }
        };
        ScrapeLoop l = loop("body_size_limit: 64KB");
        long start = System.nanoTime();
        l.scrapeAndReport(T0);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertFailed(l, "Get \"http://127.0.0.1:" + socket.getLocalPort() + "/metrics\": context deadline exceeded");
        assertThat(scraper(l).wireBytes).isLessThanOrEqualTo(64L * 1024);
    }

    @Test
    void socketThatNeverAnswers_endsAtScrapeTimeout() throws Exception {
        answer = out -> Thread.sleep(60_000);
        ScrapeLoop l = loop("");
        long start = System.nanoTime();
        l.scrapeAndReport(T0);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1_900L, 5_000L);
        assertFailed(l, "Get \"http://127.0.0.1:" + socket.getLocalPort() + "/metrics\": context deadline exceeded");
        assertThat(scraper(l).wireBytes).isZero();
    }

    @Test
    void gzipBomb_limitedOnTheDecompressedSize() throws Exception {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                g.write(zeros); // 64 MB of zeros, about 64 KB compressed
            }
        }
        byte[] bomb = z.toByteArray();
        answer = out -> {
            head(out, TEXT, "Content-Encoding: gzip\r\nContent-Length: " + bomb.length + "\r\n");
            out.write(bomb);
        };
        ScrapeLoop l = loop("body_size_limit: 100KB");
        l.scrapeAndReport(T0);
        assertFailed(l, "body size limit exceeded");
        assertThat(scraper(l).wireBytes).isLessThanOrEqualTo(100L * 1024 + SLACK);
        assertThat(scraper(l).buf.length).isLessThanOrEqualTo(100 * 1024);
    }

    @Test
    void randomBytes_failWithAParseError() throws Exception {
        byte[] noise = new byte[32 * 1024];
        new Random(17).nextBytes(noise);
        answer = out -> {
            head(out, TEXT, "Content-Length: " + noise.length + "\r\n");
            out.write(noise);
        };
        ScrapeLoop l = loop("body_size_limit: 64KB");
        l.scrapeAndReport(T0);
        assertThat(l.target().health()).isEqualTo(Target.Health.DOWN);
        assertThat(l.target().lastError()).isNotEmpty().doesNotContain("Exception");
        assertThat(scraper(l).wireBytes).isEqualTo(noise.length);
    }

    @Test
    void randomBytesAsProtobuf_failWithAParseError() throws Exception {
        byte[] noise = new byte[32 * 1024];
        new Random(5).nextBytes(noise);
        noise[0] = (byte) 0x90; // a length prefix of 16 bytes: the message itself is garbage
        noise[1] = 0x00;
        answer = out -> {
            head(out, "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
                    "Content-Length: " + noise.length + "\r\n");
            out.write(noise);
        };
        ScrapeLoop l = loop("scrape_native_histograms: true");
        l.scrapeAndReport(T0);
        assertThat(l.target().health()).isEqualTo(Target.Health.DOWN);
        assertThat(l.target().lastError()).contains("invalid protobuf message 1: ").doesNotContain("Exception");
    }

    @Test
    void labelBomb_failsOnLabelLimits() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < 10; s++) {
            sb.append("bomb{");
            for (int i = 0; i < 300; i++) {
                sb.append(i == 0 ? "" : ",").append("label_").append(i).append("=\"").append("v".repeat(20)).append(s).append('"');
            }
            sb.append("} 1\n");
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        answer = out -> {
            head(out, TEXT, "Content-Length: " + body.length + "\r\n");
            out.write(body);
        };
        ScrapeLoop l = loop("label_limit: 64");
        l.scrapeAndReport(T0);
        assertFailed(l, "label_limit exceeded (metric: bomb, number of labels: 303, limit: 64)");

        l = loop("label_value_length_limit: 16");
        l.scrapeAndReport(T0 + 1);
        assertThat(l.target().lastError()).startsWith("label_value_length_limit exceeded (metric: bomb, label name: label_0, value: \"vvvv");

        l = loop("label_name_length_limit: 8");
        l.scrapeAndReport(T0 + 2);
        assertThat(l.target().lastError())
                .isEqualTo("label_name_length_limit exceeded (metric: bomb, label name: label_100, length: 9, limit: 8)");
    }

    @Test
    void unknownContentType_failsWithoutFallback_parsesWithIt() throws Exception {
        answer = out -> {
            head(out, "application/x-hostile", "Content-Length: 4\r\n");
            out.write("a 1\n".getBytes(StandardCharsets.US_ASCII));
        };
        ScrapeLoop l = loop("");
        l.scrapeAndReport(T0);
        assertFailed(l, "received unsupported Content-Type \"application/x-hostile\" and no fallback_scrape_protocol specified for target");

        l = loop("fallback_scrape_protocol: PrometheusText0.0.4");
        l.scrapeAndReport(T0 + 1);
        assertThat(l.target().health()).isEqualTo(Target.Health.UP);
        assertThat(Stored.valuesAt(head, "a", T0 + 1)).containsExactly(1.0);
    }
}
