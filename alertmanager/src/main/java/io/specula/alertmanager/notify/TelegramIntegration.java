package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.TelegramConfig;
import io.specula.alertmanager.template.NotificationTemplates;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code telegram_configs}: the Bot API's {@code sendMessage} to one chat, with the message
 * cut to 4096 characters and rendered with HTML escaping in the default {@code HTML} parse
 * mode. Parameters are sent as strings, as the Go bot library Alertmanager uses sends them;
 * web page previews are off. A refused request is reported with Telegram's description.
 */
final class TelegramIntegration extends HttpIntegration {
    private final TelegramConfig c;

    TelegramIntegration(TelegramConfig c, int index, NotificationTemplates templates, HttpClient client) {
        super("telegram", index, c, templates, client);
        this.c = c;
    }

    @Override
    public void send(NotificationData d, Instant deadline) throws NotifyException, InterruptedException {
        Renderer r = renderer(d);
        String source = c.message == null ? "{{ template \"telegram.default.message\" . }}" : c.message;
        String parseMode = c.effectiveParseMode();
        String text = Renderer.truncate(parseMode.equals("HTML") ? r.html(source) : r.text(source), 4096);
        r.check(name());
        ObjectNode msg = JSON.createObjectNode();
        msg.put("chat_id", c.chatIdFile != null && !c.chatIdFile.isEmpty()
                ? HttpPost.readSecretFile(c.chatIdFile, "chat_id_file") : Long.toString(c.chatId));
        if (c.disableNotifications) {
            msg.put("disable_notification", "true");
        }
        msg.put("disable_web_page_preview", "true");
        if (c.messageThreadId != null && c.messageThreadId != 0) {
            msg.put("message_thread_id", Integer.toString(c.messageThreadId));
        }
        putNonEmpty(msg, "parse_mode", parseMode);
        msg.put("text", text);
        String token = secretOrFile(c.botToken, c.botTokenFile, "bot_token_file");
        String base = c.apiUrl.endsWith("/") ? c.apiUrl.substring(0, c.apiUrl.length() - 1) : c.apiUrl;
        HttpPost.Response resp = postJson(base + "/bot" + token + "/sendMessage", msg, Map.of(), deadline, null);
        if (resp.status() / 100 != 2 && resp.status() / 100 != 5 && resp.status() != 429) {
            String description = "";
            try {
                JsonNode n = JSON.readTree(resp.body());
                description = n.path("description").asString("");
            } catch (RuntimeException ignored) {
                // not Telegram's JSON error; the status says enough
            }
            if (!description.isEmpty()) {
                throw new NotifyException("telegram: " + description + " (" + resp.status() + ")", false);
            }
        }
        check(resp, Set.of(429));
    }
}
