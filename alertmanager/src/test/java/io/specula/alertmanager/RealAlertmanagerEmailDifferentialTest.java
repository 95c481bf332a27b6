package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Alertmanager (Debian's 0.25) and Specula's mail the same alerts to two GreenMail
 * servers with the same config (templated headers, text and HTML bodies, AUTH): the mails
 * must agree on envelope recipients, headers, MIME structure and decoded part contents.
 * Debian's default.tmpl has no {@code email.default.*}, so the config names its templates.
 */
class RealAlertmanagerEmailDifferentialTest {
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
        RealAlertmanager.assumeInstalled();
        GreenMail theirsSmtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        GreenMail oursSmtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        theirsSmtp.setUser("am@example.org", "am", "pw");
        oursSmtp.setUser("am@example.org", "am", "pw");
        theirsSmtp.start();
        oursSmtp.start();
        Path ourDir = Files.createDirectories(dir.resolve("ours"));
        try (RealAlertmanager real = RealAlertmanager.start(dir.resolve("theirs"), CONFIG.formatted(theirsSmtp.getSmtp().getPort()));
                TestAlertmanager ours = TestAlertmanager.start(ourDir, CONFIG.formatted(oursSmtp.getSmtp().getPort()))) {
            // Fresh alerts: with old ones Alertmanager 0.25 flushes at the first alert of a POST, racing the rest.
            Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            String body = ALERTS.formatted(start, "long line ".repeat(30).strip());
            assertThat(real.post("/api/v2/alerts", body)).isEqualTo(200);
            assertThat(ours.post("/api/v2/alerts", body).status()).isEqualTo(200);
            assertThat(received(theirsSmtp, 2)).as(real.log()).isTrue();
            assertThat(received(oursSmtp, 2)).isTrue();
            List<String> theirs = describe(theirsSmtp.getReceivedMessages());
            List<String> mine = describe(oursSmtp.getReceivedMessages());
            assertThat(mine).isEqualTo(theirs);
        } finally {
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
}
