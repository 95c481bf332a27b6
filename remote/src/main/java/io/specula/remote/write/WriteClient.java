package io.specula.remote.write;

import io.specula.httpclient.HttpClients;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Posts one Snappy-compressed write request with Prometheus's headers and classifies the answer
 * as the sender must act on it: done, retry (5xx, 429 when {@code retry_on_http_429}, network
 * errors and timeouts; with the {@code Retry-After} delay when given), or give up (other 4xx).
 * Thread-safe (Jetty's client is).
 */
final class WriteClient {
    static final String USER_AGENT = "Specula/remote-write";
    static final String CONTENT_TYPE_V1 = "application/x-protobuf";
    static final String CONTENT_TYPE_V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";
    private static final int MAX_ERROR_BODY = 1024;

    /**
     * What one attempt came to.
     *
     * @param status the HTTP status, 0 for a network error or timeout
     * @param retryAfterMillis the receiver's {@code Retry-After}, -1 when absent
     * @param samplesWritten 2.0's {@code X-Prometheus-Remote-Write-Samples-Written}, -1 when absent
     */
    record Outcome(int status, boolean ok, boolean recoverable, long retryAfterMillis, String error, long samplesWritten) {
    }

    private final HttpClient http;
    private final RemoteWriteConfig config;

    WriteClient(HttpClient http, RemoteWriteConfig config) {
        this.http = http;
        this.config = config;
    }

    Outcome post(byte[] body, int len, boolean v2, int attempt) throws InterruptedException {
        Request req = http.newRequest(config.url)
                .method(HttpMethod.POST)
                .timeout(config.remoteTimeout.millis(), TimeUnit.MILLISECONDS)
                .headers(h -> {
                    h.put(HttpHeader.USER_AGENT, USER_AGENT);
                    h.put(HttpHeader.CONTENT_ENCODING, "snappy");
                    h.put("X-Prometheus-Remote-Write-Version", v2 ? "2.0.0" : "0.1.0");
                    if (attempt > 0) {
                        h.put("Retry-Attempt", Integer.toString(attempt));
                    }
                    for (Map.Entry<String, String> e : config.headers().entrySet()) {
                        h.put(e.getKey(), e.getValue());
                    }
                })
                .body(new ByteBufferRequestContent(v2 ? CONTENT_TYPE_V2 : CONTENT_TYPE_V1, java.nio.ByteBuffer.wrap(body, 0, len)));
        try {
            HttpClients.authorize(req, config);
        } catch (IOException e) {
            return new Outcome(0, false, true, -1, "reading credentials: " + e.getMessage(), -1);
        }
        ContentResponse resp;
        try {
            resp = new CompletableResponseListener(req, MAX_ERROR_BODY * 64).send().get();
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            String msg = c instanceof TimeoutException ? "context deadline exceeded"
                    : c.getMessage() == null ? c.toString() : c.getMessage();
            return new Outcome(0, false, true, -1, "Post \"" + config.url + "\": " + msg, -1);
        }
        int status = resp.getStatus();
        long written = -1;
        String w = resp.getHeaders().get("X-Prometheus-Remote-Write-Samples-Written");
        if (w != null) {
            try {
                written = Long.parseLong(w.strip());
            } catch (NumberFormatException ignored) {
                // a receiver's malformed header is not worth failing the send
            }
        }
        if (status / 100 == 2) {
            return new Outcome(status, true, false, -1, null, written);
        }
        String text = resp.getContentAsString();
        if (text != null && text.length() > MAX_ERROR_BODY) {
            text = text.substring(0, MAX_ERROR_BODY);
        }
        String err = "server returned HTTP status " + status + " " + (resp.getReason() == null ? "" : resp.getReason())
                + (text == null || text.isBlank() ? "" : ": " + text.strip());
        boolean recoverable = status / 100 == 5 || (status == 429 && config.queueConfig.retryOnHttp429);
        long retryAfter = recoverable ? retryAfter(resp.getHeaders().get(HttpHeader.RETRY_AFTER)) : -1;
        return new Outcome(status, false, recoverable, retryAfter, err, written);
    }

    /** {@code Retry-After} as seconds or an HTTP date; -1 when absent or unreadable. */
    static long retryAfter(String v) {
        if (v == null || v.isBlank()) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(v.strip())) * 1000;
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
            } catch (RuntimeException e2) {
                return -1;
            }
        }
    }
}
