package io.specula.alertmanager.notify;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the mail Alertmanager sends: the configured headers (RFC 2047 Q-encoded when not
 * plain ASCII), Message-Id and Date unless given, and a {@code multipart/alternative} body
 * with a text part and an HTML part, each quoted-printable, either omitted when empty.
 */
final class MailMessage {
    private static final DateTimeFormatter RFC1123Z =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private MailMessage() {}

    static String build(Map<String, String> headers, String text, String html, String hostname, ZonedDateTime now) {
        StringBuilder b = new StringBuilder(256 + text.length() + html.length() * 2);
        headers.forEach((k, v) -> b.append(k).append(": ").append(encodeHeader(v)).append("\r\n"));
        if (!headers.containsKey("Message-Id")) {
            b.append("Message-Id: <").append(System.nanoTime()).append('.')
                    .append(Long.toUnsignedString(ThreadLocalRandom.current().nextLong())).append('@').append(hostname)
                    .append(">\r\n");
        }
        if (!headers.containsKey("Date")) {
            b.append("Date: ").append(RFC1123Z.format(now)).append("\r\n");
        }
        String boundary = boundary();
        b.append("Content-Type: multipart/alternative;  boundary=").append(boundary).append("\r\n");
        b.append("MIME-Version: 1.0\r\n\r\n");
        if (!text.isEmpty()) {
            part(b, boundary, "text/plain; charset=UTF-8", text);
        }
        if (!html.isEmpty()) {
            part(b, boundary, "text/html; charset=UTF-8", html);
        }
        b.append("\r\n--").append(boundary).append("--\r\n");
        return b.toString();
    }

    private static void part(StringBuilder b, String boundary, String type, String body) {
        b.append("\r\n--").append(boundary).append("\r\n");
        b.append("Content-Transfer-Encoding: quoted-printable\r\n");
        b.append("Content-Type: ").append(type).append("\r\n\r\n");
        b.append(quotedPrintable(body));
    }

    private static String boundary() {
        byte[] r = new byte[30];
        ThreadLocalRandom.current().nextBytes(r);
        return java.util.HexFormat.of().formatHex(r);
    }

    /** RFC 2047 Q encoding (one encoded word) for values that are not printable ASCII. */
    static String encodeHeader(String v) {
        boolean plain = true;
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            plain = c >= 0x20 && c < 0x7f || c == '\t';
        }
        if (plain) {
            return v;
        }
        StringBuilder b = new StringBuilder("=?utf-8?q?");
        for (byte x : v.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c == ' ') {
                b.append('_');
            } else if (c > 0x20 && c < 0x7f && c != '=' && c != '?' && c != '_') {
                b.append((char) c);
            } else {
                b.append('=').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.append("?=").toString();
    }

    /**
     * Quoted-printable (RFC 2045) with CRLF hard line breaks: lines of at most 76 characters
     * using soft breaks, {@code =} and non-ASCII bytes escaped, and blanks before a line end
     * escaped so that transports cannot strip them.
     */
    static String quotedPrintable(String s) {
        StringBuilder out = new StringBuilder(s.length() + s.length() / 8);
        String[] lines = s.replace("\r\n", "\n").split("\n", -1);
        for (int li = 0; li < lines.length; li++) {
            byte[] bytes = lines[li].getBytes(StandardCharsets.UTF_8);
            int col = 0;
            for (int i = 0; i < bytes.length; i++) {
                int c = bytes[i] & 0xff;
                boolean last = i == bytes.length - 1;
                String enc;
                if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
                    enc = String.valueOf((char) c);
                } else {
                    enc = "=" + Character.toUpperCase(Character.forDigit(c >> 4, 16))
                            + Character.toUpperCase(Character.forDigit(c & 15, 16));
                }
                if (col + enc.length() > 75) {
                    out.append("=\r\n");
                    col = 0;
                }
                out.append(enc);
                col += enc.length();
            }
            if (li < lines.length - 1) {
                out.append("\r\n");
            }
        }
        return out.toString();
    }
}
