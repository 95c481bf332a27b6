package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.EmailConfig;
import io.specula.alertmanager.template.NotificationTemplates;
import io.specula.model.config.ConfigException;
import io.specula.model.config.Secret;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * {@code email_configs}: one mail per notification over SMTP, as Alertmanager sends it.
 * Port 465 is TLS from the start; otherwise, with {@code require_tls} (the default), the
 * server must offer STARTTLS. With {@code auth_username} set, the first mechanism the server
 * offers that we have credentials for is used: CRAM-MD5 (auth_secret), PLAIN or LOGIN
 * (auth_password); PLAIN only over TLS or to a loopback host, like Go's smtp package.
 * Headers (From, To and Subject by default), HTML and text bodies are templates. Failures
 * talking to the server are retryable; bad addresses and templates are not.
 */
final class EmailIntegration implements Integration {
    private final EmailConfig c;
    private final int index;
    private final NotificationTemplates templates;
    private final SSLContext ssl;
    private final String hostname;

    EmailIntegration(EmailConfig c, int index, NotificationTemplates templates) throws ConfigException {
        this.c = c;
        this.index = index;
        this.templates = templates;
        this.ssl = HttpTransport.sslContext(c.tlsConfig);
        this.hostname = localHostname();
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public boolean sendResolved() {
        return c.sendResolved;
    }

    @Override
    public void send(NotificationData d, Instant deadline) throws NotifyException, InterruptedException {
        Renderer r = new Renderer(templates, d);
        Map<String, String> headers = new TreeMap<>();
        headers.put("From", c.from);
        headers.put("To", c.to);
        headers.put("Subject", "{{ template \"email.default.subject\" . }}");
        if (c.headers != null) {
            headers.putAll(c.headers);
        }
        headers.replaceAll((k, v) -> r.text(v));
        String to = r.text(c.to);
        String from = r.text(c.from);
        String html = r.html(c.html == null ? "{{ template \"email.default.html\" . }}" : c.html);
        String text = r.text(c.text == null ? "" : c.text);
        r.check("email");
        List<String> recipients = addresses(to, "to");
        List<String> senders = addresses(from, "from");
        if (senders.size() != 1) {
            throw new NotifyException("email: parse 'from' addresses: expected one address, got \"" + from + "\"", false);
        }
        String message = MailMessage.build(headers, text, html, hostname, ZonedDateTime.now(ZoneId.systemDefault()));

        int colon = c.smarthost.lastIndexOf(':');
        String host = c.smarthost.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(c.smarthost.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new NotifyException("email: invalid port in smarthost " + c.smarthost, false);
        }
        long millis = Duration.between(Instant.now(), deadline).toMillis();
        if (millis <= 0) {
            throw new NotifyException("email: deadline exceeded before sending", false);
        }
        String serverName = c.tlsConfig == null ? null : c.tlsConfig.serverName;
        try (SmtpClient smtp = new SmtpClient(host, ssl, serverName)) {
            smtp.connect(port, (int) Math.min(Integer.MAX_VALUE, millis));
            String hello = c.hello == null || c.hello.isEmpty() ? "localhost" : c.hello;
            smtp.hello(hello);
            if (!smtp.isTls() && !Boolean.FALSE.equals(c.requireTls)) {
                if (smtp.extension("STARTTLS") == null) {
                    throw new NotifyException("email: 'require_tls' is true (default) but \"" + c.smarthost
                            + "\" does not advertise the STARTTLS extension", true);
                }
                smtp.startTls(hello);
            }
            String mechs = smtp.extension("AUTH");
            if (mechs != null) {
                authenticate(smtp, mechs, host);
            }
            smtp.send(senders.getFirst(), recipients, message);
            smtp.quit();
        } catch (IOException e) {
            throw new NotifyException("email: " + e.getMessage(), true);
        }
    }

    private void authenticate(SmtpClient smtp, String mechs, String host) throws IOException, NotifyException {
        if (c.authUsername == null || c.authUsername.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (String mech : mechs.split(" ")) {
            switch (mech.toUpperCase(java.util.Locale.ROOT)) {
                case "CRAM-MD5" -> {
                    String secret = secret(c.authSecret, c.authSecretFile);
                    if (secret.isEmpty()) {
                        problems.add("missing secret for CRAM-MD5 auth mechanism");
                        continue;
                    }
                    smtp.authCramMd5(c.authUsername, secret);
                    return;
                }
                case "PLAIN" -> {
                    String password = secret(c.authPassword, c.authPasswordFile);
                    if (password.isEmpty()) {
                        problems.add("missing password for PLAIN auth mechanism");
                        continue;
                    }
                    if (!smtp.isTls() && !isLoopback(host)) {
                        throw new NotifyException("email: *smtp.plainAuth auth: unencrypted connection", true);
                    }
                    smtp.authPlain(c.authIdentity == null ? "" : c.authIdentity, c.authUsername, password);
                    return;
                }
                case "LOGIN" -> {
                    String password = secret(c.authPassword, c.authPasswordFile);
                    if (password.isEmpty()) {
                        problems.add("missing password for LOGIN auth mechanism");
                        continue;
                    }
                    smtp.authLogin(c.authUsername, password);
                    return;
                }
                default -> { }
            }
        }
        if (problems.isEmpty()) {
            problems.add("unknown auth mechanism: " + mechs);
        }
        throw new NotifyException("email: find auth mechanism: " + String.join("; ", problems), true);
    }

    private static String secret(Secret inline, String file) throws NotifyException {
        return HttpIntegration.secretOrFile(inline, file, "auth password/secret file");
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
    }

    /**
     * The addresses of an RFC 5322 address list: {@code Name <a@b>} or bare {@code a@b},
     * comma-separated (commas inside quotes or angle brackets do not split).
     */
    static List<String> addresses(String list, String what) throws NotifyException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int angle = 0;
        for (int i = 0; i <= list.length(); i++) {
            char ch = i < list.length() ? list.charAt(i) : ',';
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && ch == '<') {
                angle++;
            } else if (!quoted && ch == '>') {
                angle--;
            }
            if (ch == ',' && !quoted && angle == 0) {
                String one = cur.toString().strip();
                cur.setLength(0);
                if (one.isEmpty()) {
                    continue;
                }
                int lt = one.lastIndexOf('<');
                String addr = lt >= 0 && one.endsWith(">") ? one.substring(lt + 1, one.length() - 1).strip() : one;
                if (addr.indexOf('@') <= 0 || addr.contains(" ")) {
                    throw new NotifyException("email: parse '" + what + "' addresses: mail: invalid address \""
                            + one + "\"", false);
                }
                out.add(addr);
            } else {
                cur.append(ch);
            }
        }
        if (out.isEmpty()) {
            throw new NotifyException("email: parse '" + what + "' addresses: mail: no address", false);
        }
        return out;
    }

    private static String localHostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
