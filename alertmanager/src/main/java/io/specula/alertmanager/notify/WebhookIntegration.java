package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.WebhookConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * {@code webhook_configs}: POSTs {@link WebhookMessage} as JSON. A 2xx answer is success; 5xx
 * and transport errors may be retried; any other status is final (as in Alertmanager, a
 * 4xx will not get better by repeating). The URL is read from {@code url_file} at each send
 * so a rotated secret needs no reload. Thread-safe.
 */
public final class WebhookIntegration implements Integration {
    private final WebhookConfig config;
    private final int index;
    private final HttpClient client;

    public WebhookIntegration(WebhookConfig config, int index, HttpClient client) {
        this.config = config;
        this.index = index;
        this.client = client;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public boolean sendResolved() {
        return config.sendResolved;
    }

    @Override
    public void send(NotificationData data, Instant deadline) throws NotifyException, InterruptedException {
        String body = WebhookMessage.build(data, config.maxAlerts).toString();
        long millis = Duration.between(Instant.now(), deadline).toMillis();
        if (config.timeout != null && !config.timeout.isZero()) {
            millis = Math.min(millis, config.timeout.millis());
        }
        if (millis <= 0) {
            throw new NotifyException("deadline exceeded before sending", false);
        }
        Request req = client.newRequest(url())
                .method(HttpMethod.POST)
                .timeout(millis, TimeUnit.MILLISECONDS)
                .followRedirects(config.httpConfig == null || config.httpConfig.followRedirects)
                .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8));
        HttpPost.authorize(req, config.httpConfig);
        ContentResponse resp;
        try {
            resp = req.send();
        } catch (TimeoutException e) {
            throw new NotifyException("webhook timed out after " + millis + "ms", true);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new NotifyException("webhook request failed: " + c.getMessage(), true);
        }
        int code = resp.getStatus();
        if (code / 100 == 2) {
            return;
        }
        throw new NotifyException("unexpected status code " + code, code / 100 == 5);
    }

    private String url() throws NotifyException {
        if (config.urlFile != null && !config.urlFile.isEmpty()) {
            try {
                return Files.readString(Path.of(config.urlFile)).strip();
            } catch (IOException e) {
                throw new NotifyException("read url_file: " + e.getMessage(), false);
            }
        }
        return config.url.reveal();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
