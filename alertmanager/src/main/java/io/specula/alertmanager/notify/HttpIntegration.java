package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.NotifierConfig;
import io.specula.alertmanager.template.NotificationTemplates;
import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.PromDuration;
import io.specula.model.config.Secret;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What the HTTP integrations share: identity, templates, client and the JSON POST. Thread-safe. */
abstract class HttpIntegration implements Integration {
    static final JsonMapper JSON = WebhookMessage.JSON;

    private final String name;
    private final int index;
    private final boolean sendResolved;
    final NotificationTemplates templates;
    final HttpClient client;
    final HttpClientConfig http;

    HttpIntegration(String name, int index, NotifierConfig c, NotificationTemplates templates, HttpClient client) {
        this.name = name;
        this.index = index;
        this.sendResolved = c.sendResolved;
        this.templates = templates;
        this.client = client;
        this.http = c.httpConfig;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int index() {
        return index;
    }

    @Override
    public final boolean sendResolved() {
        return sendResolved;
    }

    Renderer renderer(NotificationData d) {
        return new Renderer(templates, d);
    }

    HttpPost.Response postJson(String url, ObjectNode body, Map<String, String> headers, Instant deadline,
            PromDuration timeout) throws NotifyException, InterruptedException {
        return HttpPost.post(client, http, url, "application/json", body.toString(), headers, deadline, timeout, name);
    }

    void check(HttpPost.Response r, Set<Integer> retryCodes) throws NotifyException {
        HttpPost.check(r, retryCodes, name);
    }

    /** A secret given inline or in a file (read at each send, so rotation needs no reload). */
    static String secretOrFile(Secret inline, String file, String what) throws NotifyException {
        if (file != null && !file.isEmpty()) {
            return HttpPost.readSecretFile(file, what);
        }
        return inline == null ? "" : inline.reveal();
    }

    /** Puts {@code value} unless empty (Go's {@code omitempty}). */
    static void putNonEmpty(ObjectNode o, String key, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(key, value);
        }
    }
}
