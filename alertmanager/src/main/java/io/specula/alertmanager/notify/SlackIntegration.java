package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.SlackConfig;
import io.specula.alertmanager.template.NotificationTemplates;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code slack_configs}: one message with one attachment, posted to an incoming webhook
 * ({@code api_url}) or, with {@code app_token}, to {@code chat.postMessage}. Fields and
 * defaults follow Alertmanager; the title is cut to 1024 characters. Slack answers 200 even
 * for some failures, so the body is checked too: {@code ok} from a webhook,
 * {@code {"ok":true}} from the Web API.
 */
final class SlackIntegration extends HttpIntegration {
    private static final String DEFAULT_APP_URL = "https://slack.com/api/chat.postMessage";
    private static final List<String> DEFAULT_MRKDWN_IN = List.of("fallback", "pretext", "text");

    private final SlackConfig c;

    SlackIntegration(SlackConfig c, int index, NotificationTemplates templates, HttpClient client) {
        super("slack", index, c, templates, client);
        this.c = c;
    }

    @Override
    public void send(NotificationData d, Instant deadline) throws NotifyException, InterruptedException {
        Renderer r = renderer(d);
        ObjectNode att = JSON.createObjectNode();
        putNonEmpty(att, "title", Renderer.truncate(r.text(c.title, "{{ template \"slack.default.title\" . }}"), 1024));
        putNonEmpty(att, "title_link", r.text(c.titleLink, "{{ template \"slack.default.titlelink\" . }}"));
        putNonEmpty(att, "pretext", r.text(c.pretext, "{{ template \"slack.default.pretext\" . }}"));
        // text, fallback, callback_id and footer are sent even when empty, as Alertmanager does.
        att.put("text", r.text(c.text, "{{ template \"slack.default.text\" . }}"));
        att.put("fallback", r.text(c.fallback, "{{ template \"slack.default.fallback\" . }}"));
        att.put("callback_id", r.text(c.callbackId, "{{ template \"slack.default.callbackid\" . }}"));
        if (c.fields != null && !c.fields.isEmpty()) {
            ArrayNode fields = att.putArray("fields");
            for (SlackConfig.Field f : c.fields) {
                ObjectNode o = fields.addObject();
                putNonEmpty(o, "title", r.text(f.title));
                putNonEmpty(o, "value", r.text(f.value));
                o.put("short", f.shortValue() != null ? f.shortValue() : c.shortFields);
            }
        }
        if (c.actions != null && !c.actions.isEmpty()) {
            ArrayNode actions = att.putArray("actions");
            for (SlackConfig.Action a : c.actions) {
                ObjectNode o = actions.addObject();
                putNonEmpty(o, "type", r.text(a.type));
                putNonEmpty(o, "text", r.text(a.text));
                putNonEmpty(o, "url", r.text(a.url));
                putNonEmpty(o, "style", r.text(a.style));
                putNonEmpty(o, "name", r.text(a.name));
                putNonEmpty(o, "value", r.text(a.value));
                if (a.confirm != null) {
                    ObjectNode cf = o.putObject("confirm");
                    putNonEmpty(cf, "text", r.text(a.confirm.text));
                    putNonEmpty(cf, "title", r.text(a.confirm.title));
                    putNonEmpty(cf, "ok_text", r.text(a.confirm.okText));
                    putNonEmpty(cf, "dismiss_text", r.text(a.confirm.dismissText));
                }
            }
        }
        putNonEmpty(att, "image_url", r.text(c.imageUrl));
        putNonEmpty(att, "thumb_url", r.text(c.thumbUrl));
        att.put("footer", r.text(c.footer, "{{ template \"slack.default.footer\" . }}"));
        putNonEmpty(att, "color", r.text(c.color, "{{ if eq .Status \"firing\" }}danger{{ else }}good{{ end }}"));
        ArrayNode mrkdwn = att.putArray("mrkdwn_in");
        (c.mrkdwnIn == null || c.mrkdwnIn.isEmpty() ? DEFAULT_MRKDWN_IN : c.mrkdwnIn).forEach(mrkdwn::add);

        ObjectNode req = JSON.createObjectNode();
        putNonEmpty(req, "channel", r.text(c.channel));
        putNonEmpty(req, "username", r.text(c.username, "{{ template \"slack.default.username\" . }}"));
        putNonEmpty(req, "icon_emoji", r.text(c.iconEmoji, "{{ template \"slack.default.iconemoji\" . }}"));
        putNonEmpty(req, "icon_url", r.text(c.iconUrl, "{{ template \"slack.default.iconurl\" . }}"));
        if (c.linkNames) {
            req.put("link_names", true);
        }
        putNonEmpty(req, "text", r.text(c.messageText));
        req.putArray("attachments").add(att);
        r.check(name());

        String url;
        Map<String, String> headers = Map.of();
        boolean app = (c.appToken != null && !c.appToken.isEmpty()) || (c.appTokenFile != null && !c.appTokenFile.isEmpty());
        if (app) {
            headers = Map.of("Authorization", "Bearer " + secretOrFile(c.appToken, c.appTokenFile, "app_token_file"));
            url = c.appUrl != null && !c.appUrl.isEmpty() ? c.appUrl : DEFAULT_APP_URL;
        } else {
            url = secretOrFile(c.apiUrl, c.apiUrlFile, "api_url_file");
        }
        HttpPost.Response resp = postJson(url, req, headers, deadline, c.timeout);
        check(resp, Set.of(429));
        checkBody(resp);
    }

    /** Slack's 200 answers can still be errors. */
    private void checkBody(HttpPost.Response resp) throws NotifyException {
        String body = resp.body() == null ? "" : resp.body().strip();
        if (resp.contentType() != null && resp.contentType().contains("json")) {
            JsonNode n;
            try {
                n = JSON.readTree(body);
            } catch (RuntimeException e) {
                throw new NotifyException("slack: could not parse response: " + e.getMessage(), false);
            }
            if (!n.path("ok").asBoolean(false)) {
                throw new NotifyException("slack: error response from Slack: " + n.path("error").asString(""), false);
            }
        } else if (!body.isEmpty() && !body.equals("ok")) {
            throw new NotifyException("slack: error response from Slack: " + body, false);
        }
    }
}
