package io.specula.pushgateway;

import com.google.protobuf.InvalidProtocolBufferException;
import io.specula.model.exposition.proto.DelimitedMetricFamilies;
import io.specula.model.exposition.proto.MetricFamily;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a push request into a store write: the grouping key from the URL, the body as text
 * format or delimited protobuf (by Content-Type, as the Pushgateway decides), and the answer
 * codes: 200 for an accepted checked push, 202 for an unchecked push or a delete, 400 with the
 * Pushgateway's message otherwise.
 */
final class PushHandler {
    /** Pushed bodies beyond this (after gzip decompression) are refused with 413: no unbounded memory. */
    static final int MAX_BODY_BYTES = 64 << 20;

    private PushHandler() {}

    /** Reads at most {@link #MAX_BODY_BYTES}; more is a 413. */
    static byte[] readBody(InputStream in) throws PushException, IOException {
        byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
        if (b.length > MAX_BODY_BYTES) {
            throw new PushException(413, "request body too large: the limit is " + MAX_BODY_BYTES + " bytes");
        }
        return b;
    }

    /** Parses a body by its Content-Type. */
    static Map<String, MetricFamily> parseBody(String contentType, byte[] body) throws PushException {
        if (isDelimitedProtobuf(contentType)) {
            Map<String, MetricFamily> out = new LinkedHashMap<>();
            try {
                DelimitedMetricFamilies.read(new ByteArrayInputStream(body), MAX_BODY_BYTES, mf -> out.put(mf.getName(), mf));
            } catch (InvalidProtocolBufferException e) {
                throw new PushException(400, "proto: " + e.getMessage());
            } catch (IOException e) {
                throw new PushException(400, e.getMessage());
            }
            return out;
        }
        return TextFormatParser.parse(body);
    }

    /** Go's {@code mime.ParseMediaType} reading of the one Content-Type that means protobuf. */
    static boolean isDelimitedProtobuf(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/vnd.google.protobuf")) {
            return false;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                if (p.isEmpty()) {
                    continue;
                }
                return false;
            }
            String v = p.substring(eq + 1).trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            params.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), v);
        }
        return "delimited".equals(params.get("encoding")) && "io.prometheus.client.MetricFamily".equals(params.get("proto"));
    }

    /**
     * Handles a PUT or POST.
     *
     * @return the status code of a successful push
     */
    static int push(MetricStore store, GroupingKey key, String contentType, byte[] body, boolean replace, boolean check)
            throws PushException {
        Map<String, MetricFamily> families = parseBody(contentType, body);
        store.push(key, families, replace, check, Instant.now());
        return check ? 200 : 202;
    }
}
