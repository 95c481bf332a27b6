package io.specula.alertmanager.notify;

import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.PromDuration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * One HTTP request of an integration, with the {@code http_config} applied (authentication,
 * extra headers, redirects), bounded by the notification's deadline and the integration's
 * own timeout; and Alertmanager's rule for judging the answer: 2xx is success, 5xx and the
 * integration's extra retry codes may be retried, anything else is final.
 */
final class HttpPost {
    /** At most this much of an error body is quoted in the error. */
    private static final int MAX_QUOTED = 1024;

    record Response(int status, String body, String contentType) {}

    private HttpPost() {}

    static Response post(HttpClient client, HttpClientConfig cfg, String url, String contentType, String body,
            Map<String, String> headers, Instant deadline, PromDuration timeout, String integration)
            throws NotifyException, InterruptedException {
        return send(HttpMethod.POST, client, cfg, url, contentType, body, headers, deadline, timeout, integration);
    }

    static Response send(HttpMethod method, HttpClient client, HttpClientConfig cfg, String url, String contentType,
            String body, Map<String, String> headers, Instant deadline, PromDuration timeout, String integration)
            throws NotifyException, InterruptedException {
        long millis = Duration.between(Instant.now(), deadline).toMillis();
        if (timeout != null && !timeout.isZero()) {
            millis = Math.min(millis, timeout.millis());
        }
        if (millis <= 0) {
            throw new NotifyException(integration + ": deadline exceeded before sending", false);
        }
        Request req;
        try {
            req = client.newRequest(url);
        } catch (IllegalArgumentException e) {
            throw new NotifyException(integration + ": invalid URL: " + e.getMessage(), false);
        }
        req.method(method)
                .timeout(millis, TimeUnit.MILLISECONDS)
                .followRedirects(cfg == null || cfg.followRedirects)
                .body(new StringRequestContent(contentType, body, StandardCharsets.UTF_8));
        headers.forEach((k, v) -> req.headers(h -> h.put(k, v)));
        authorize(req, cfg);
        ContentResponse resp;
        try {
            resp = req.send();
        } catch (TimeoutException e) {
            throw new NotifyException(integration + ": request timed out after " + millis + "ms", true);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new NotifyException(integration + ": request failed: " + c.getMessage(), true);
        }
        return new Response(resp.getStatus(), resp.getContentAsString(), resp.getMediaType());
    }

    /** Alertmanager's retrier: fails unless 2xx, retryably for 5xx and {@code retryCodes}. */
    static void check(Response r, Set<Integer> retryCodes, String integration) throws NotifyException {
        int code = r.status();
        if (code / 100 == 2) {
            return;
        }
        String msg = integration + ": unexpected status code " + code;
        String body = r.body() == null ? "" : r.body().strip();
        if (!body.isEmpty()) {
            msg += ": " + (body.length() > MAX_QUOTED ? body.substring(0, MAX_QUOTED) + "…" : body);
        }
        throw new NotifyException(msg, code / 100 == 5 || retryCodes.contains(code));
    }

    /** A credential file's content, stripped; an unreadable file fails the delivery for good. */
    static String readSecretFile(String file, String what) throws NotifyException {
        try {
            return HttpClientConfig.readSecretFile(file, what);
        } catch (IOException e) {
            throw new NotifyException(e.getMessage(), false);
        }
    }

    /** Authentication and configured headers; credential files are read at each request. */
    static void authorize(Request req, HttpClientConfig h) throws NotifyException {
        if (h == null) {
            return;
        }
        try {
            String auth = h.authorizationHeader();
            if (auth != null) {
                req.headers(x -> x.put(HttpHeader.AUTHORIZATION, auth));
            }
            for (Map.Entry<String, List<String>> e : h.headerValues().entrySet()) {
                req.headers(x -> {
                    x.remove(e.getKey());
                    e.getValue().forEach(v -> x.add(e.getKey(), v));
                });
            }
        } catch (IOException e) {
            throw new NotifyException(e.getMessage(), false);
        }
    }
}
