package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Alertmanager (Debian's 0.25) and Specula's mail the same alerts to two GreenMail
 * servers with the same config (templated headers, text and HTML bodies, AUTH): the mails
 * must agree on envelope recipients, headers, MIME structure and decoded part contents.
 * Debian's default.tmpl has no {@code email.default.*}, so the config names its templates.
 */
class RealAlertmanagerEmailDifferentialTest {
    private static final Path BINARY = Path.of(System.getProperty("specula.alertmanager",
            "/usr/bin/prometheus-alertmanager"));

    @TempDir
    Path dir;

    private static final String CONFIG = """
            global:
              smtp_smarthost: 127.0.0.1:%d
              smtp_from: 'Alertmanager <am@example.org>'
              smtp_require_tls: false
              smtp_auth_username: am
              smtp_auth_password: pw
            route:
              receiver: mail
              group_by: [alertname]
              group_wait: 1s
              group_interval: 10m
            receivers:
            - name: mail
              email_configs:
              - to: 'ops@example.org, Bob Ä <bob@example.org>'
                headers:
                  Subject: '{{ template "__subject" . }} – Störung'
                  X-Group: '{{ .GroupLabels.SortedPairs.Values | join "," }}'
                text: '{{ template "__text_alert_list" .Alerts }}'
                html: '<h1>{{ .CommonAnnotations.summary }}</h1>{{ range .Alerts }}<p>{{ .Labels.instance }}</p>{{ end }}'
            """;

    private static final String ALERTS = """
            [{"labels":{"alertname":"Disk","instance":"b","job":"node"},
              "annotations":{"summary":"full <&> \\"quoted\\" = équipe"},"startsAt":"%1$s","generatorURL":"http://p/g?x=1&y=2"},
             {"labels":{"alertname":"Disk","instance":"a","job":"node"},
              "annotations":{"summary":"full <&> \\"quoted\\" = équipe","long":"%2$s"},"startsAt":"%1$s"}]
            """;

    @Test
    void mail_equalsTheRealAlertmanagers() throws Exception {
        assumeTrue(Files.isExecutable(BINARY), "SKIPPED: " + BINARY
                + " not found (install Debian's 'prometheus-alertmanager', or run .ci/run); differential test not run");
        GreenMail theirsSmtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        GreenMail oursSmtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        theirsSmtp.setUser("am@example.org", "am", "pw");
        oursSmtp.setUser("am@example.org", "am", "pw");
        theirsSmtp.start();
        oursSmtp.start();
        Path theirDir = Files.createDirectories(dir.resolve("theirs"));
        Files.writeString(theirDir.resolve("am.yml"), CONFIG.formatted(theirsSmtp.getSmtp().getPort()));
        int port = freePort();
        Process real = new ProcessBuilder(BINARY.toString(), "--config.file=" + theirDir.resolve("am.yml"),
                "--storage.path=" + theirDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=", "--web.external-url=http://am.example:9093")
                .redirectErrorStream(true).redirectOutput(theirDir.resolve("log").toFile()).start();
        Path ourDir = Files.createDirectories(dir.resolve("ours"));
        try (TestAlertmanager ours = TestAlertmanager.start(ourDir, CONFIG.formatted(oursSmtp.getSmtp().getPort()))) {
            String theirBase = "http://127.0.0.1:" + port;
            waitReady(theirBase, theirDir.resolve("log"));
            // Fresh alerts: with old ones Alertmanager 0.25 flushes at the first alert of a POST, racing the rest.
            Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            String body = ALERTS.formatted(start, "long line ".repeat(30).strip());
            assertThat(post(theirBase + "/api/v2/alerts", body)).isEqualTo(200);
            assertThat(ours.post("/api/v2/alerts", body).status()).isEqualTo(200);
            assertThat(received(theirsSmtp, 2)).as(Files.readString(theirDir.resolve("log"))).isTrue();
            assertThat(received(oursSmtp, 2)).isTrue();
            List<String> theirs = describe(theirsSmtp.getReceivedMessages());
            List<String> mine = describe(oursSmtp.getReceivedMessages());
            assertThat(mine).isEqualTo(theirs);
        } finally {
            real.destroy();
            real.waitFor(10, TimeUnit.SECONDS);
            theirsSmtp.stop();
            oursSmtp.stop();
        }
    }

    /** What must agree: recipients, the stable headers (decoded), the parts' types and decoded contents. */
    private static List<String> describe(MimeMessage[] messages) throws Exception {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : messages) {
            StringBuilder b = new StringBuilder();
            for (String h : List.of("From", "To", "Subject", "X-Group", "MIME-Version")) {
                String[] v = m.getHeader(h);
                b.append(h).append(": ").append(v == null ? null
                        : jakarta.mail.internet.MimeUtility.decodeText(String.join("|", v))).append('\n');
            }
            b.append("Message-Id present: ").append(m.getHeader("Message-Id") != null).append('\n');
            b.append("Date present: ").append(m.getHeader("Date") != null).append('\n');
            b.append("Type: ").append(m.getContentType().replaceAll("boundary=\\S+", "boundary=*")).append('\n');
            Multipart parts = (Multipart) m.getContent();
            for (int i = 0; i < parts.getCount(); i++) {
                var p = parts.getBodyPart(i);
                b.append("-- ").append(p.getContentType()).append(" / ")
                        .append(String.join(",", p.getHeader("Content-Transfer-Encoding"))).append('\n')
                        .append(p.getContent()).append('\n');
            }
            out.add(b.toString());
        }
        out.sort(null);
        return out;
    }

    /** Polls rather than GreenMail's waitForIncomingEmail, which missed mails already delivered. */
    private static boolean received(GreenMail smtp, int n) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (smtp.getReceivedMessages().length < n && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        return smtp.getReceivedMessages().length >= n;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static int post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void waitReady(String base, Path log) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("real Alertmanager did not become ready at " + base + ":\n" + Files.readString(log));
    }
}
