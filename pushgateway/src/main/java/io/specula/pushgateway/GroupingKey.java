package io.specula.pushgateway;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A group's identity: {@code job} plus the label pairs of the push URL
 * {@code /metrics/job[@base64]/<JOB>{/<LABEL>[@base64]/<VALUE>}}, with the Pushgateway's
 * decoding rules and error texts. A {@code @base64} value uses the URL-safe alphabet, padding
 * optional; an empty value is allowed (and means the label is absent from the pushed series).
 *
 * @param labels the grouping labels, sorted by name, {@code job} included
 */
public record GroupingKey(SortedMap<String, String> labels) {

    public GroupingKey {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /**
     * Parses the parts of a push or delete URL after {@code /metrics/job}.
     *
     * @param job the job segment as it appears in the (percent-decoded) path
     * @param jobBase64 whether the path said {@code /job@base64/}
     * @param labelPath the rest of the path, starting with {@code /}, or empty
     * @throws PushException 400 with the Pushgateway's message
     */
    public static GroupingKey parse(String job, boolean jobBase64, String labelPath) throws PushException {
        if (jobBase64) {
            try {
                job = decodeBase64(job);
            } catch (Base64Exception e) {
                // As in Go, the message names what was decoded before the error.
                throw new PushException(400, "invalid base64 encoding in job name " + GoQuote.string(e.partial) + ": " + e.getMessage());
            }
        }
        TreeMap<String, String> labels = splitLabels(labelPath);
        if (job.isEmpty()) {
            throw new PushException(400, "job name is required");
        }
        labels.put("job", job);
        return new GroupingKey(labels);
    }

    private static TreeMap<String, String> splitLabels(String path) throws PushException {
        TreeMap<String, String> out = new TreeMap<>();
        if (path.length() <= 1) {
            return out;
        }
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length % 2 != 0) {
            throw new PushException(400, "odd number of components in label string " + GoQuote.string(path));
        }
        for (int i = 0; i < parts.length; i += 2) {
            String name = parts[i];
            String value = parts[i + 1];
            boolean b64 = name.endsWith("@base64");
            String trimmed = b64 ? name.substring(0, name.length() - "@base64".length()) : name;
            if (!validLabelName(trimmed) || trimmed.startsWith("__")) {
                throw new PushException(400, "improper label name " + GoQuote.string(trimmed));
            }
            if (b64) {
                try {
                    value = decodeBase64(value);
                } catch (Base64Exception e) {
                    throw new PushException(400, "invalid base64 encoding for label " + trimmed + "=" + GoQuote.string(value)
                            + ": " + e.getMessage());
                }
            }
            out.put(trimmed, value);
        }
        return out;
    }

    /** The legacy label name syntax, {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    static boolean validLabelName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * URL-safe base64 without padding after trailing {@code =} are dropped, as Go's
     * {@code base64.RawURLEncoding}; errors read like Go's {@code illegal base64 data at input byte N}.
     */
    static final class Base64Exception extends IllegalArgumentException {
        final String partial;

        Base64Exception(String message, byte[] out, int complete) {
            super(message);
            this.partial = GoQuote.fromGoBytes(java.util.Arrays.copyOf(out, complete));
        }
    }

    static String decodeBase64(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
        }
        byte[] out = new byte[end * 3 / 4 + 3];
        int n = 0;
        int acc = 0;
        int bits = 0;
        int quantum = 0;
        int lastStart = 0;
        int complete = 0;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            int v = value(c);
            if (v < 0) {
                throw new Base64Exception("illegal base64 data at input byte " + i, out, complete);
            }
            if (quantum == 0) {
                lastStart = i;
            }
            quantum = (quantum + 1) % 4;
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >> bits);
            }
            if (quantum == 0) {
                complete = n;
            }
        }
        if (quantum == 1) {
            throw new Base64Exception("illegal base64 data at input byte " + lastStart, out, complete);
        }
        return GoQuote.fromGoBytes(java.util.Arrays.copyOf(out, n));
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }

    /** The job label. */
    public String job() {
        return labels.get("job");
    }

    /** A stable string key: names and values joined by 0xff, as the Pushgateway's grouping key. */
    public String key() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!b.isEmpty()) {
                b.append('\u00ff');
            }
            b.append(e.getKey()).append('\u00ff').append(e.getValue());
        }
        return b.toString();
    }
}
