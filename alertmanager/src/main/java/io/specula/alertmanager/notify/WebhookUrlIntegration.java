package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.WebhookUrlConfig;
import io.specula.alertmanager.template.NotificationTemplates;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import tools.jackson.databind.node.ObjectNode;

/**
 * The chat integrations addressed by a single secret webhook URL: Discord (one embed, red
 * while firing, green when resolved), Microsoft Teams connectors (a MessageCard) and Teams
 * workflows ({@code msteamsv2}: an Adaptive Card). Payloads and limits as in Alertmanager.
 */
final class WebhookUrlIntegration extends HttpIntegration {
    /** Discord embed colours: firing, resolved, neither. */
    private static final int DISCORD_RED = 0x992D22;
    private static final int DISCORD_GREEN = 0x2ECC71;
    private static final int DISCORD_GREY = 0x95A5A6;

    private final WebhookUrlConfig c;

    WebhookUrlIntegration(String name, WebhookUrlConfig c, int index, NotificationTemplates templates,
            HttpClient client) {
        super(name, index, c, templates, client);
        this.c = c;
    }

    @Override
    public void send(NotificationData d, Instant deadline) throws NotifyException, InterruptedException {
        Renderer r = renderer(d);
        ObjectNode body = switch (c) {
            case WebhookUrlConfig.Discord x -> discord(x, r, d.status());
            case WebhookUrlConfig.MsTeams x -> msteams(x, r, d.status());
            case WebhookUrlConfig.MsTeamsV2 x -> msteamsV2(x, r, d.status());
            default -> throw new IllegalStateException("unknown webhook_url integration " + c.getClass());
        };
        r.check(name());
        String url = secretOrFile(c.webhookUrl, c.webhookUrlFile, "webhook_url_file");
        check(postJson(url, body, Map.of(), deadline, null), name().equals("discord") ? Set.of(429) : Set.of());
    }

    private static ObjectNode discord(WebhookUrlConfig.Discord x, Renderer r, String status) {
        ObjectNode o = JSON.createObjectNode();
        o.put("content", Renderer.truncate(r.text(x.content, "{{ template \"discord.default.content\" . }}"), 2000));
        ObjectNode embed = o.putArray("embeds").addObject();
        embed.put("title", Renderer.truncate(r.text(x.title, "{{ template \"discord.default.title\" . }}"), 256));
        embed.put("description",
                Renderer.truncate(r.text(x.message, "{{ template \"discord.default.message\" . }}"), 4096));
        embed.put("color", switch (status) {
            case "firing" -> DISCORD_RED;
            case "resolved" -> DISCORD_GREEN;
            default -> DISCORD_GREY;
        });
        putNonEmpty(o, "username", r.text(x.username));
        putNonEmpty(o, "avatar_url", r.text(x.avatarUrl));
        return o;
    }

    private static ObjectNode msteams(WebhookUrlConfig.MsTeams x, Renderer r, String status) {
        ObjectNode o = JSON.createObjectNode();
        o.put("@context", "http://schema.org/extensions");
        o.put("type", "MessageCard");
        o.put("title", r.text(x.title, "{{ template \"msteams.default.title\" . }}"));
        o.put("summary", r.text(x.summary, "{{ template \"msteams.default.summary\" . }}"));
        o.put("text", r.text(x.text, "{{ template \"msteams.default.text\" . }}"));
        o.put("themeColor", switch (status) {
            case "firing" -> "8C1A1A";
            case "resolved" -> "2DC72D";
            default -> "808080";
        });
        return o;
    }

    private static ObjectNode msteamsV2(WebhookUrlConfig.MsTeamsV2 x, Renderer r, String status) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "message");
        ObjectNode att = o.putArray("attachments").addObject();
        att.put("contentType", "application/vnd.microsoft.card.adaptive");
        att.putNull("contentUrl");
        ObjectNode card = att.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.2");
        var body = card.putArray("body");
        body.addObject().put("type", "TextBlock")
                .put("text", r.text(x.title, "{{ template \"msteamsv2.default.title\" . }}"))
                .put("weight", "Bolder").put("size", "Medium").put("wrap", true).put("style", "heading")
                .put("color", switch (status) {
                    case "firing" -> "Attention";
                    case "resolved" -> "Good";
                    default -> "Warning";
                });
        body.addObject().put("type", "TextBlock")
                .put("text", r.text(x.text, "{{ template \"msteamsv2.default.text\" . }}")).put("wrap", true);
        card.putObject("msteams").put("width", "full");
        return o;
    }
}
