package io.specula.alertmanager.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal SMTP client (RFC 5321) for one message: EHLO (HELO as fallback), STARTTLS,
 * AUTH (CRAM-MD5, PLAIN, LOGIN), MAIL/RCPT/DATA with dot-stuffing, QUIT. Port 465 speaks
 * TLS from the start. Server replies other than the expected class raise {@link SmtpException}
 * carrying the reply. Not thread-safe: one per delivery.
 */
final class SmtpClient implements AutoCloseable {
    /** A failed step, with the server's reply when there was one. */
    static final class SmtpException extends IOException {
        SmtpException(String message) {
            super(message);
        }
    }

    private final String host;
    private final SSLContext ssl;
    private final String serverName;
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;
    private boolean tls;
    private final Map<String, String> extensions = new LinkedHashMap<>();

    SmtpClient(String host, SSLContext ssl, String serverName) {
        this.host = host;
        this.ssl = ssl;
        this.serverName = serverName == null || serverName.isEmpty() ? host : serverName;
    }

    void connect(int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), timeoutMillis);
        s.setSoTimeout(timeoutMillis);
        socket = s;
        if (port == 465) {
            upgrade();
        }
        streams();
        expect(220, "greeting");
    }

    private void streams() throws IOException {
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    private void upgrade() throws IOException {
        SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(socket, serverName, socket.getPort(), true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setServerNames(List.of(new SNIHostName(serverName)));
        s.setSSLParameters(p);
        s.startHandshake();
        socket = s;
        tls = true;
    }

    void hello(String name) throws IOException {
        extensions.clear();
        List<String> reply;
        try {
            reply = command("EHLO " + name, 250, "EHLO");
        } catch (SmtpException e) {
            command("HELO " + name, 250, "HELO");
            return;
        }
        for (int i = 1; i < reply.size(); i++) {
            String line = reply.get(i);
            int sp = line.indexOf(' ');
            String ext = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
            extensions.put(ext, sp < 0 ? "" : line.substring(sp + 1));
        }
    }

    /** The parameters of an EHLO extension (e.g. AUTH's mechanisms), or null if not offered. */
    String extension(String name) {
        return extensions.get(name);
    }

    boolean isTls() {
        return tls;
    }

    void startTls(String name) throws IOException {
        command("STARTTLS", 220, "STARTTLS");
        upgrade();
        streams();
        hello(name);
    }

    void authPlain(String identity, String user, String password) throws IOException {
        String token = b64(identity + "\0" + user + "\0" + password);
        command("AUTH PLAIN " + token, 235, "AUTH PLAIN");
    }

    void authLogin(String user, String password) throws IOException {
        command("AUTH LOGIN", 334, "AUTH LOGIN");
        command(b64(user), 334, "AUTH LOGIN");
        command(b64(password), 235, "AUTH LOGIN");
    }

    void authCramMd5(String user, String secret) throws IOException {
        List<String> challenge = command("AUTH CRAM-MD5", 334, "AUTH CRAM-MD5");
        byte[] c = Base64.getDecoder().decode(challenge.getFirst().strip());
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            String digest = HexFormat.of().formatHex(mac.doFinal(c));
            command(b64(user + " " + digest), 235, "AUTH CRAM-MD5");
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IOException("CRAM-MD5: " + e.getMessage(), e);
        }
    }

    void send(String from, List<String> to, String message) throws IOException {
        command("MAIL FROM:<" + from + ">", 250, "MAIL FROM");
        for (String r : to) {
            command("RCPT TO:<" + r + ">", 250, "RCPT TO");
        }
        command("DATA", 354, "DATA");
        StringBuilder data = new StringBuilder(message.length() + 64);
        for (String line : message.split("\r\n", -1)) {
            if (line.startsWith(".")) {
                data.append('.');
            }
            data.append(line).append("\r\n");
        }
        data.append(".\r\n");
        out.write(data.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        expect(250, "end of DATA");
    }

    void quit() {
        try {
            command("QUIT", 221, "QUIT");
        } catch (IOException ignored) {
            // the message is delivered; a rude goodbye changes nothing
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> command(String line, int expected, String what) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return expect(expected, what);
    }

    /** Reads one (multi-line) reply; its text lines without the code. */
    private List<String> expect(int expected, String what) throws IOException {
        List<String> lines = new ArrayList<>();
        int code;
        while (true) {
            String l = in.readLine();
            if (l == null) {
                throw new SmtpException(what + ": connection closed by server");
            }
            if (l.length() < 3) {
                throw new SmtpException(what + ": malformed reply \"" + l + "\"");
            }
            code = Integer.parseInt(l.substring(0, 3));
            lines.add(l.length() > 4 ? l.substring(4) : "");
            if (l.length() == 3 || l.charAt(3) != '-') {
                break;
            }
        }
        if (code != expected) {
            throw new SmtpException(what + ": " + code + " " + String.join(" ", lines));
        }
        return lines;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
