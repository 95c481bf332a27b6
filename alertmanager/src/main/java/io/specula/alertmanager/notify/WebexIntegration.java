package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.WebexConfig;
import io.specula.alertmanager.template.NotificationTemplates;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code webex_configs}: posts {@code {"markdown": …, "roomId": …}} to the messages API with
 * the configured authorization; the message is cut to 7439 bytes, Webex's limit. Only 5xx is
 * retried.
 */
final class WebexIntegration extends HttpIntegration {
    private static final int MAX_BYTES = 7439;

    private final WebexConfig c;

    WebexIntegration(WebexConfig c, int index, NotificationTemplates templates, HttpClient client) {
        super("webex", index, c, templates, client);
        this.c = c;
    }

    @Override
    public void send(NotificationData d, Instant deadline) throws NotifyException, InterruptedException {
        Renderer r = renderer(d);
        String message = truncateBytes(r.text(c.message, "{{ template \"webex.default.message\" . }}"));
        ObjectNode body = JSON.createObjectNode();
        body.put("markdown", message);
        putNonEmpty(body, "roomId", r.text(c.roomId));
        r.check(name());
        check(postJson(c.apiUrl, body, Map.of(), deadline, null), Set.of());
    }

    /** Cuts to at most {@value #MAX_BYTES} UTF-8 bytes on a character boundary, ending in "…". */
    static String truncateBytes(String s) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return s;
        }
        int budget = MAX_BYTES - "…".getBytes(StandardCharsets.UTF_8).length;
        StringBuilder b = new StringBuilder();
        int used = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + n > budget) {
                break;
            }
            b.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return b.append('…').toString();
    }
}
