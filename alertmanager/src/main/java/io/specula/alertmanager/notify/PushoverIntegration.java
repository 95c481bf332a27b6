package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.PushoverConfig;
import io.specula.alertmanager.template.NotificationTemplates;
import io.specula.model.config.PromDuration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jetty.client.HttpClient;

/**
 * {@code pushover_configs}: a POST to Pushover's messages API with every parameter in the
 * query string (sorted, as Go's url.Values encodes them) and an empty body, as Alertmanager
 * sends it. Title, message and URL are cut to Pushover's limits (250, 1024, 512); an empty
 * message becomes "(no details)", which Pushover would otherwise refuse. Emergency priority
 * (2, the default while firing) carries retry and expire. Only 5xx is retried.
 */
final class PushoverIntegration extends HttpIntegration {
    static final String API_URL = "https://api.pushover.net/1/messages.json";
    private static final PromDuration DEFAULT_RETRY = PromDuration.ofMinutes(1);
    private static final PromDuration DEFAULT_EXPIRE = PromDuration.ofMinutes(60);

    private final PushoverConfig c;
    private final String apiUrl;

    PushoverIntegration(PushoverConfig c, int index, NotificationTemplates templates, HttpClient client,
            String apiUrl) {
        super("pushover", index, c, templates, client);
        this.c = c;
        this.apiUrl = apiUrl;
    }

    @Override
    public void send(NotificationData d, Instant deadline) throws NotifyException, InterruptedException {
        Renderer r = renderer(d);
        Map<String, String> p = new TreeMap<>();
        p.put("token", r.text(secretOrFile(c.token, c.tokenFile, "token_file")));
        p.put("user", r.text(secretOrFile(c.userKey, c.userKeyFile, "user_key_file")));
        p.put("title", Renderer.truncate(r.text(c.title, "{{ template \"pushover.default.title\" . }}"), 250));
        String source = c.message == null ? "{{ template \"pushover.default.message\" . }}" : c.message;
        String message;
        if (c.html) {
            p.put("html", "1");
            message = r.html(source);
        } else {
            message = r.text(source);
        }
        if (Boolean.TRUE.equals(c.monospace)) {
            p.put("monospace", "1");
        }
        message = Renderer.truncate(message, 1024).strip();
        p.put("message", message.isEmpty() ? "(no details)" : message);
        p.put("url", Renderer.truncate(r.text(c.url, "{{ template \"pushover.default.url\" . }}"), 512));
        p.put("url_title", r.text(c.urlTitle));
        p.put("priority", r.text(c.priority, "{{ if eq .Status \"firing\" }}2{{ else }}0{{ end }}"));
        p.put("retry", Long.toString((c.retry == null ? DEFAULT_RETRY : c.retry).millis() / 1000));
        p.put("expire", Long.toString((c.expire == null ? DEFAULT_EXPIRE : c.expire).millis() / 1000));
        p.put("device", r.text(c.device));
        p.put("sound", r.text(c.sound));
        if (c.ttl != null && c.ttl.millis() >= 1000) {
            p.put("ttl", Long.toString(c.ttl.millis() / 1000));
        }
        r.check(name());
        StringBuilder q = new StringBuilder();
        p.forEach((k, v) -> q.append(q.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpPost.Response resp = HttpPost.post(client, http, apiUrl + "?" + q, "text/plain", "", Map.of(), deadline,
                null, name());
        check(resp, Set.of());
    }
}
