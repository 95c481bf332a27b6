package io.specula.alertmanager.notify;

import static io.specula.alertmanager.notify.ReceiverFixtures.data;
import static io.specula.alertmanager.notify.ReceiverFixtures.deadline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The email receiver against a real SMTP server (GreenMail) on loopback. */
class EmailReceiverTest {
    private ReceiverFixtures fx;
    private GreenMail smtp;

    @BeforeEach
    void start() throws Exception {
        fx = new ReceiverFixtures();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.setUser("am@example.org", "am", "pw");
        smtp.start();
    }

    @AfterEach
    void stop() throws Exception {
        smtp.stop();
        fx.close();
    }

    private String smarthost() {
        return "127.0.0.1:" + smtp.getSmtp().getPort();
    }

    @Test
    void email_deliversTextAndHtmlPartsToEveryRecipientWithAuth() throws Exception {
        Integration mail = fx.only("""
                global:
                  smtp_from: Alertmanager <am@example.org>
                  smtp_smarthost: %s
                  smtp_require_tls: false
                  smtp_auth_username: am
                  smtp_auth_password: pw
                route:
                  receiver: r
                receivers:
                - name: r
                  email_configs:
                  - to: 'ops@example.org, Bob <bob@example.org>'
                    headers:
                      X-Team: storage
                    text: '{{ template "__subject" . }} on {{ .CommonLabels.job }}'
                """.formatted(smarthost()));
        assertThat(mail.name()).isEqualTo("email");
        assertThat(mail.sendResolved()).isFalse();
        mail.send(data(false), deadline());
        assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
        jakarta.mail.internet.MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("[FIRING:2] DiskFull (node)");
        assertThat(Arrays.stream(m.getRecipients(jakarta.mail.Message.RecipientType.TO)).map(Address::toString))
                .containsExactly("ops@example.org", "Bob <bob@example.org>");
        assertThat(m.getFrom()[0].toString()).isEqualTo("Alertmanager <am@example.org>");
        assertThat(m.getHeader("X-Team")[0]).isEqualTo("storage");
        assertThat(m.getHeader("Message-Id")[0]).startsWith("<").endsWith(">");
        assertThat(m.getContentType()).startsWith("multipart/alternative");
        Multipart parts = (Multipart) m.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        BodyPart text = parts.getBodyPart(0);
        assertThat(text.getContentType()).startsWith("text/plain; charset=UTF-8");
        assertThat(text.getContent().toString()).isEqualTo("[FIRING:2] DiskFull (node) on node");
        BodyPart html = parts.getBodyPart(1);
        assertThat(html.getContentType()).startsWith("text/html; charset=UTF-8");
        assertThat(html.getContent().toString()).contains("<title>[FIRING:2] DiskFull (node)</title>",
                "2 alerts for alertname=DiskFull", "[2] Firing", "instance = a:9100", "summary = disk is full",
                "http://am.example:9093/#/alerts?receiver=team-x");
    }

    @Test
    void email_nonAsciiSubjectIsEncodedAndLongLinesSurvive() throws Exception {
        Integration mail = fx.only("""
                route:
                  receiver: r
                receivers:
                - name: r
                  email_configs:
                  - to: ops@example.org
                    from: am@example.org
                    smarthost: %s
                    require_tls: false
                    headers:
                      subject: 'Störung – {{ .Status }}'
                    html: ''
                    text: '%s'
                """.formatted(smarthost(), "x".repeat(200) + " = é"));
        mail.send(data(false), deadline());
        assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
        jakarta.mail.internet.MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("Störung – firing");
        Multipart parts = (Multipart) m.getContent();
        assertThat(parts.getCount()).isEqualTo(1);
        assertThat(parts.getBodyPart(0).getContent().toString()).isEqualTo("x".repeat(200) + " = é");
    }

    @Test
    void email_requireTlsRefusesAServerWithoutStartTls() throws Exception {
        Integration mail = fx.only("""
                route:
                  receiver: r
                receivers:
                - name: r
                  email_configs:
                  - to: ops@example.org
                    from: am@example.org
                    smarthost: %s
                """.formatted(smarthost()));
        assertThatThrownBy(() -> mail.send(data(false), deadline())).isInstanceOfSatisfying(NotifyException.class,
                e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("'require_tls' is true (default) but \"" + smarthost()
                        + "\" does not advertise the STARTTLS extension");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void email_startTlsWithConfiguredCaThenAuthPlain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        TestCerts certs = TestCerts.create(dir);
        try (StartTlsFront front = new StartTlsFront(certs.serverContext(), smtp.getSmtp().getPort())) {
            String yaml = """
                    route:
                      receiver: r
                    receivers:
                    - name: r
                      email_configs:
                      - to: ops@example.org
                        from: am@example.org
                        smarthost: localhost:%d
                        auth_username: am
                        auth_password: pw
                        tls_config:
                          ca_file: %s
                    """.formatted(front.port(), certs.caPem());
            fx.only(yaml).send(data(false), deadline());
            assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
            assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("[FIRING:2] DiskFull (node)");
            // Without the CA the server's certificate is not trusted.
            Integration untrusting = fx.only(yaml.replace("    tls_config:\n      ca_file: " + certs.caPem() + "\n", ""));
            assertThatThrownBy(() -> untrusting.send(data(false), deadline()))
                    .isInstanceOfSatisfying(NotifyException.class, e -> assertThat(e.retryable()).isTrue());
        }
    }

    @Test
    void email_wrongPasswordFailsAndUnreachableServerIsRetryable() throws Exception {
        Integration bad = fx.only("""
                route:
                  receiver: r
                receivers:
                - name: r
                  email_configs:
                  - to: ops@example.org
                    from: am@example.org
                    smarthost: %s
                    require_tls: false
                    auth_username: am
                    auth_password: wrong
                """.formatted(smarthost()));
        assertThatThrownBy(() -> bad.send(data(false), deadline())).isInstanceOf(NotifyException.class)
                .hasMessageContaining("AUTH");
        smtp.stop();
        assertThatThrownBy(() -> bad.send(data(false), deadline())).isInstanceOfSatisfying(NotifyException.class,
                e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void email_badToAddressIsNotRetried() throws Exception {
        Integration mail = fx.only("""
                route:
                  receiver: r
                receivers:
                - name: r
                  email_configs:
                  - to: 'not an address'
                    from: am@example.org
                    smarthost: %s
                    require_tls: false
                """.formatted(smarthost()));
        assertThatThrownBy(() -> mail.send(data(false), deadline())).isInstanceOfSatisfying(NotifyException.class,
                e -> assertThat(e.retryable()).isFalse()).hasMessageContaining("parse 'to' addresses");
    }
}
