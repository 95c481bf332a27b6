package io.specula.alertmanager.notify;

import static io.specula.alertmanager.notify.ReceiverFixtures.GROUP_KEY;
import static io.specula.alertmanager.notify.ReceiverFixtures.data;
import static io.specula.alertmanager.notify.ReceiverFixtures.deadline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.alertmanager.template.NotificationTemplates;
import io.specula.alertmanager.template.TemplateData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each HTTP receiver against a local fake of its service: the request must have the
 * upstream payload shape, field by field, and failures must be classified as Alertmanager
 * does (5xx and the service's rate-limit code retryable, other errors final).
 */
class HttpReceiversTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SUBJECT = "[FIRING:2] DiskFull (node)";
    private static final String AM_URL = "http://am.example:9093/#/alerts?receiver=team-x";

    private ReceiverFixtures fx;
    private FakeEndpoint fake;

    @BeforeEach
    void start() throws Exception {
        fx = new ReceiverFixtures();
        fake = new FakeEndpoint();
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
        fx.close();
    }

    private static String config(String receiver) {
        return "route:\n  receiver: r\nreceivers:\n- name: r\n" + receiver;
    }

    private static String defaults(String name, boolean resolved) throws Exception {
        return NotificationTemplates.defaults().text("{{ template \"" + name + "\" . }}",
                TemplateData.of(data(resolved)));
    }

    @Test
    void slack_postsOneAttachmentWithDefaultsAndConfiguredFields() throws Exception {
        Integration slack = fx.only(config("""
                  slack_configs:
                  - api_url: %s
                    channel: '#ops'
                    fields:
                    - title: job
                      value: '{{ .CommonLabels.job }}'
                    actions:
                    - type: button
                      text: Runbook
                      url: http://runbook/disk
                """.formatted(fake.url("/services/T/B/X"))));
        assertThat(slack.name()).isEqualTo("slack");
        assertThat(slack.sendResolved()).isFalse();
        slack.send(data(false), deadline());
        FakeEndpoint.Received got = fake.next();
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.pathAndQuery()).isEqualTo("/services/T/B/X");
        assertThat(got.header("Content-Type")).startsWith("application/json");
        assertThat(got.header("User-Agent")).isEqualTo("Alertmanager/test");
        assertThat(got.json()).isEqualTo(JSON.readTree("""
                {"channel":"#ops","username":"Alertmanager","attachments":[{
                  "title":"%1$s","title_link":"%2$s","text":"","fallback":"%1$s | %2$s","callback_id":"","footer":"",
                  "fields":[{"title":"job","value":"node","short":false}],
                  "actions":[{"type":"button","text":"Runbook","url":"http://runbook/disk"}],
                  "color":"danger","mrkdwn_in":["fallback","pretext","text"]}]}
                """.formatted(SUBJECT, AM_URL)));
    }

    @Test
    void slack_classifiesFailuresLikeAlertmanager() throws Exception {
        Integration slack = fx.only(config("  slack_configs:\n  - api_url: " + fake.url("/hook") + "\n"));
        fake.status = 500;
        assertThatThrownBy(() -> slack.send(data(false), deadline())).isInstanceOfSatisfying(NotifyException.class,
                e -> assertThat(e.retryable()).isTrue());
        fake.status = 429;
        assertThatThrownBy(() -> slack.send(data(false), deadline())).isInstanceOfSatisfying(NotifyException.class,
                e -> assertThat(e.retryable()).isTrue());
        fake.status = 404;
        fake.replyBody = "no_service";
        assertThatThrownBy(() -> slack.send(data(false), deadline())).isInstanceOfSatisfying(NotifyException.class,
                e -> assertThat(e.retryable()).isFalse()).hasMessageContaining("unexpected status code 404: no_service");
        // Slack's Web API answers 200 with {"ok":false}.
        fake.status = 200;
        fake.contentType = "application/json";
        fake.replyBody = "{\"ok\":false,\"error\":\"channel_not_found\"}";
        assertThatThrownBy(() -> slack.send(data(false), deadline()))
                .hasMessageContaining("error response from Slack: channel_not_found");
    }

    @Test
    void slack_globalApiUrlIsUsedWhenTheEntryHasNone() throws Exception {
        Integration slack = fx.only("global:\n  slack_api_url: " + fake.url("/global") + "\n"
                + config("  slack_configs:\n  - channel: '#x'\n"));
        slack.send(data(true), deadline());
        FakeEndpoint.Received got = fake.next();
        assertThat(got.pathAndQuery()).isEqualTo("/global");
        assertThat(got.json().at("/attachments/0/color").asString()).isEqualTo("good");
        assertThat(got.json().at("/attachments/0/title").asString()).isEqualTo("[RESOLVED] DiskFull (node)");
    }

    @Test
    void pagerduty_sendsAnEventsV2TriggerThenResolveWithTheGroupsDedupKey() throws Exception {
        Integration pd = fx.only(config("""
                  pagerduty_configs:
                  - url: %s
                    routing_key: rk-123
                    severity: '{{ if eq .CommonLabels.job "node" }}critical{{ end }}'
                    details:
                      team: storage
                    links:
                    - href: http://runbook/disk
                      text: runbook
                """.formatted(fake.url("/v2/enqueue"))));
        pd.send(data(false), deadline());
        JsonNode trigger = fake.next().json();
        String dedup = Renderer.groupKeyHash(GROUP_KEY);
        assertThat(trigger).isEqualTo(JSON.readTree("""
                {"routing_key":"rk-123","dedup_key":"%s","event_action":"trigger",
                 "payload":{"summary":"%s","source":"Alertmanager","severity":"critical",
                   "custom_details":{"firing":%s,"num_firing":"2","num_resolved":"0","resolved":"","team":"storage"}},
                 "client":"Alertmanager","client_url":"%s",
                 "links":[{"href":"http://runbook/disk","text":"runbook"}]}
                """.formatted(dedup, SUBJECT, JSON.writeValueAsString(
                        NotificationTemplates.defaults().text("{{ template \"__text_alert_list\" .Alerts.Firing }}",
                                TemplateData.of(data(false)))), AM_URL)));
        assertThat(trigger.at("/payload/custom_details/firing").asString()).startsWith("Labels:\n - alertname = DiskFull\n");
        pd.send(data(true), deadline());
        JsonNode resolve = fake.next().json();
        assertThat(resolve.get("event_action").asString()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key").asString()).isEqualTo(dedup);
        assertThat(resolve.at("/payload/summary").asString()).isEqualTo("[RESOLVED] DiskFull (node)");
        fake.status = 429;
        assertThatThrownBy(() -> pd.send(data(false), deadline())).isInstanceOfSatisfying(NotifyException.class,
                e -> assertThat(e.retryable()).isTrue());
        fake.status = 400;
        assertThatThrownBy(() -> pd.send(data(false), deadline())).isInstanceOfSatisfying(NotifyException.class,
                e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void pagerduty_serviceKeyUsesTheV1Shape() throws Exception {
        Integration pd = fx.only(config("  pagerduty_configs:\n  - service_key: sk\n    url: "
                + fake.url("/generic/2010-04-15/create_event.json") + "\n"));
        pd.send(data(false), deadline());
        JsonNode v1 = fake.next().json();
        assertThat(v1.get("service_key").asString()).isEqualTo("sk");
        assertThat(v1.get("event_type").asString()).isEqualTo("trigger");
        assertThat(v1.get("incident_key").asString()).isEqualTo(Renderer.groupKeyHash(GROUP_KEY));
        assertThat(v1.get("description").asString()).isEqualTo(SUBJECT);
        assertThat(v1.get("details").get("num_firing").asString()).isEqualTo("2");
        assertThat(v1.has("payload")).isTrue();
        assertThat(v1.get("payload").isNull()).isTrue();
    }

    @Test
    void opsgenie_createsByAliasWithGenieKeyAndClosesWhenResolved() throws Exception {
        Integration og = fx.only(config("""
                  opsgenie_configs:
                  - api_key: secret-key
                    api_url: %s
                    tags: 'disk, storage ,'
                    priority: P2
                    responders:
                    - name: sre
                      type: team
                    details:
                      runbook: http://runbook/disk
                """.formatted(fake.url("/og"))));
        og.send(data(false), deadline());
        FakeEndpoint.Received create = fake.next();
        String alias = Renderer.groupKeyHash(GROUP_KEY);
        assertThat(create.pathAndQuery()).isEqualTo("/og/v2/alerts");
        assertThat(create.header("Authorization")).isEqualTo("GenieKey secret-key");
        assertThat(create.json()).isEqualTo(JSON.readTree("""
                {"alias":"%s","message":"%s","description":%s,
                 "details":{"alertname":"DiskFull","job":"node","runbook":"http://runbook/disk"},
                 "source":"%s","responders":[{"name":"sre","type":"team"}],"tags":["disk","storage"],"priority":"P2"}
                """.formatted(alias, SUBJECT, JSON.writeValueAsString(defaults("opsgenie.default.description", false)),
                AM_URL)));
        og.send(data(true), deadline());
        FakeEndpoint.Received close = fake.next();
        assertThat(close.method()).isEqualTo("POST");
        assertThat(close.pathAndQuery()).isEqualTo("/og/v2/alerts/" + alias + "/close?identifierType=alias");
        assertThat(close.json()).isEqualTo(JSON.readTree("{\"source\":\"" + AM_URL + "\"}"));
    }

    @Test
    void telegram_callsSendMessageWithHtmlEscapedDefaultMessage() throws Exception {
        Integration tg = fx.only(config("""
                  telegram_configs:
                  - api_url: %s
                    bot_token: 123:abc
                    chat_id: -1001
                    disable_notifications: true
                """.formatted(fake.url(""))));
        tg.send(data(false), deadline());
        FakeEndpoint.Received got = fake.next();
        assertThat(got.pathAndQuery()).isEqualTo("/bot123:abc/sendMessage");
        String text = NotificationTemplates.defaults().html("{{ template \"telegram.default.message\" . }}",
                TemplateData.of(data(false)));
        assertThat(got.json()).isEqualTo(JSON.readTree("""
                {"chat_id":"-1001","disable_notification":"true","disable_web_page_preview":"true",
                 "parse_mode":"HTML","text":%s}""".formatted(JSON.writeValueAsString(text))));
        assertThat(text).startsWith("\n\nAlerts Firing:\nLabels:\n");
        fake.status = 400;
        fake.contentType = "application/json";
        fake.replyBody = "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}";
        assertThatThrownBy(() -> tg.send(data(false), deadline())).isInstanceOfSatisfying(NotifyException.class,
                e -> assertThat(e.retryable()).isFalse()).hasMessageContaining("chat not found");
    }

    @Test
    void discord_postsOneEmbedColouredByStatus() throws Exception {
        Integration dc = fx.only(config("  discord_configs:\n  - webhook_url: " + fake.url("/api/webhooks/1/t") + "\n"));
        dc.send(data(false), deadline());
        assertThat(fake.next().json()).isEqualTo(JSON.readTree("""
                {"content":"","embeds":[{"title":"%s","description":%s,"color":10038562}]}"""
                .formatted(SUBJECT, JSON.writeValueAsString(defaults("discord.default.message", false)))));
        dc.send(data(true), deadline());
        assertThat(fake.next().json().at("/embeds/0/color").asInt()).isEqualTo(0x2ECC71);
    }

    @Test
    void msteams_postsAMessageCard() throws Exception {
        Integration ms = fx.only(config("  msteams_configs:\n  - webhook_url: " + fake.url("/webhookb2/x") + "\n"));
        ms.send(data(false), deadline());
        assertThat(fake.next().json()).isEqualTo(JSON.readTree("""
                {"@context":"http://schema.org/extensions","type":"MessageCard","title":"%1$s","summary":"%1$s",
                 "text":%2$s,"themeColor":"8C1A1A"}""".formatted(SUBJECT,
                JSON.writeValueAsString(defaults("msteams.default.text", false)))));
    }

    @Test
    void msteamsV2_postsAnAdaptiveCard() throws Exception {
        Integration ms = fx.only(config("""
                  msteamsv2_configs:
                  - webhook_url: %s
                    text: 'Disk alerts: {{ len .Alerts }}'
                """.formatted(fake.url("/workflows/x"))));
        assertThat(ms.name()).isEqualTo("msteamsv2");
        ms.send(data(true), deadline());
        assertThat(fake.next().json()).isEqualTo(JSON.readTree("""
                {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
                 "contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json",
                 "type":"AdaptiveCard","version":"1.2","body":[
                   {"type":"TextBlock","text":"[RESOLVED] DiskFull (node)","weight":"Bolder","size":"Medium",
                    "wrap":true,"style":"heading","color":"Good"},
                   {"type":"TextBlock","text":"Disk alerts: 2","wrap":true}],
                 "msteams":{"width":"full"}}}]}"""));
    }

    @Test
    void httpConfig_basicAuthAndHeadersAreSent(@TempDir Path dir) throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "s3cret\n");
        Integration dc = fx.only(config("""
                  discord_configs:
                  - webhook_url: %s
                    http_config:
                      basic_auth:
                        username: am
                        password_file: %s
                      http_headers:
                        X-Scope:
                          values: [tenant-a]
                """.formatted(fake.url("/h"), pw)));
        dc.send(data(false), deadline());
        FakeEndpoint.Received got = fake.next();
        assertThat(got.header("Authorization")).isEqualTo(
                "Basic " + java.util.Base64.getEncoder().encodeToString("am:s3cret".getBytes()));
        assertThat(got.header("X-Scope")).isEqualTo("tenant-a");
    }

    @Test
    void httpConfig_bearerTokenFromGlobalHttpConfig() throws Exception {
        Integration ms = fx.only("global:\n  http_config:\n    authorization:\n      credentials: tok\n"
                + config("  msteams_configs:\n  - webhook_url: " + fake.url("/h") + "\n"));
        ms.send(data(false), deadline());
        assertThat(fake.next().header("Authorization")).isEqualTo("Bearer tok");
    }

    @Test
    void httpConfig_proxyUrlSendsThroughTheProxy() throws Exception {
        Integration dc = fx.only(config("""
                  discord_configs:
                  - webhook_url: http://discord.invalid/api/webhooks/1
                    http_config:
                      proxy_url: %s
                """.formatted(fake.url(""))));
        dc.send(data(false), deadline());
        FakeEndpoint.Received got = fake.next();
        assertThat(got.pathAndQuery()).isEqualTo("/api/webhooks/1");
        assertThat(got.header("Host")).isEqualTo("discord.invalid");
    }

    @Test
    void httpConfig_tlsConfigTrustsTheConfiguredCa(@TempDir Path dir) throws Exception {
        TestCerts certs = TestCerts.create(dir);
        Path ca = certs.caPem();
        try (FakeEndpoint https = new FakeEndpoint(certs.keyStore(), null)) {
            Integration trusted = fx.only(config("""
                      msteams_configs:
                      - webhook_url: %s
                        http_config:
                          tls_config:
                            ca_file: %s
                    """.formatted(https.url("/secure"), ca)));
            trusted.send(data(false), deadline());
            assertThat(https.next().pathAndQuery()).isEqualTo("/secure");
            Integration untrusted = fx.only(config("  msteams_configs:\n  - webhook_url: " + https.url("/secure") + "\n"));
            assertThatThrownBy(() -> untrusted.send(data(false), deadline())).isInstanceOfSatisfying(
                    NotifyException.class, e -> assertThat(e.retryable()).isTrue());
        }
    }

    @Test
    void templateError_failsWithoutRetry() throws Exception {
        Integration dc = fx.only(config("  discord_configs:\n  - webhook_url: " + fake.url("/h")
                + "\n    title: '{{ template \"nope\" . }}'\n"));
        assertThatThrownBy(() -> dc.send(data(false), deadline())).isInstanceOfSatisfying(NotifyException.class,
                e -> assertThat(e.retryable()).isFalse()).hasMessageContaining("template \"nope\" not defined");
        assertThat(fake.count()).isZero();
    }

    @Test
    void victorops_postsToApiKeyAndRoutingKeyWithRecoveryWhenResolved() throws Exception {
        Integration vo = fx.only(config("""
                  victorops_configs:
                  - api_key: vo-key
                    api_url: %s
                    routing_key: storage
                    custom_fields:
                      team: '{{ .CommonLabels.job }}'
                """.formatted(fake.url("/integrations/generic/20131114/alert/"))));
        vo.send(data(false), deadline());
        FakeEndpoint.Received got = fake.next();
        assertThat(got.pathAndQuery()).isEqualTo("/integrations/generic/20131114/alert/vo-key/storage");
        assertThat(got.json()).isEqualTo(JSON.readTree("""
                {"entity_display_name":"%s","entity_id":"%s","message_type":"CRITICAL","monitoring_tool":"Alertmanager",
                 "state_message":%s,"team":"node"}""".formatted(SUBJECT, Renderer.groupKeyHash(GROUP_KEY),
                JSON.writeValueAsString(defaults("victorops.default.state_message", false)))));
        vo.send(data(true), deadline());
        assertThat(fake.next().json().get("message_type").asString()).isEqualTo("RECOVERY");
    }

    @Test
    void webex_postsMarkdownToTheRoomWithTheConfiguredAuthorization() throws Exception {
        Integration wx = fx.only(config("""
                  webex_configs:
                  - api_url: %s
                    room_id: room-1
                    http_config:
                      authorization:
                        credentials: bot-token
                """.formatted(fake.url("/v1/messages"))));
        wx.send(data(false), deadline());
        FakeEndpoint.Received got = fake.next();
        assertThat(got.header("Authorization")).isEqualTo("Bearer bot-token");
        assertThat(got.json()).isEqualTo(JSON.readTree("{\"markdown\":%s,\"roomId\":\"room-1\"}"
                .formatted(JSON.writeValueAsString(defaults("webex.default.message", false)))));
        assertThat(WebexIntegration.truncateBytes("é".repeat(5000)).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(7439);
    }

    @Test
    void pushover_sendsParametersInTheQueryStringWithEmergencyPriorityWhileFiring() throws Exception {
        io.specula.alertmanager.config.PushoverConfig pc = io.specula.alertmanager.config.AlertmanagerConfigLoader
                .parse(config("  pushover_configs:\n  - user_key: uk\n    token: tk\n    sound: siren\n"), "t.yml")
                .receivers().getFirst().pushovers().getFirst();
        Integration po = new PushoverIntegration(pc, 0, NotificationTemplates.defaults(), fx.transport.clientFor(null),
                fake.url("/1/messages.json"));
        po.send(data(false), deadline());
        FakeEndpoint.Received got = fake.next();
        assertThat(got.body()).isEmpty();
        java.util.Map<String, String> q = new java.util.LinkedHashMap<>();
        String query = got.pathAndQuery().substring(got.pathAndQuery().indexOf('?') + 1);
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            q.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(q.keySet()).containsExactly("device", "expire", "message", "priority", "retry", "sound", "title",
                "token", "url", "url_title", "user");
        assertThat(q).containsEntry("token", "tk").containsEntry("user", "uk").containsEntry("title", SUBJECT)
                .containsEntry("priority", "2").containsEntry("retry", "60").containsEntry("expire", "3600")
                .containsEntry("sound", "siren").containsEntry("url", AM_URL)
                .containsEntry("message", defaults("pushover.default.message", false).strip());
        po.send(data(true), deadline());
        assertThat(fake.next().pathAndQuery()).contains("priority=0");
    }

    @Test
    void opsgenie_updateAlertsPutsMessageAndDescriptionAfterCreate() throws Exception {
        Integration og = fx.only(config("""
                  opsgenie_configs:
                  - api_key: k
                    api_url: %s
                    update_alerts: true
                    description: 'group {{ .GroupLabels.alertname }}'
                    responders:
                    - name: '{{ .CommonLabels.nope }}'
                      type: '{{ .CommonLabels.nope }}'
                """.formatted(fake.url("/og/"))));
        og.send(data(false), deadline());
        FakeEndpoint.Received create = fake.next();
        assertThat(create.pathAndQuery()).isEqualTo("/og/v2/alerts");
        assertThat(create.json().has("responders")).isFalse(); // empty after templating: dropped
        String alias = Renderer.groupKeyHash(GROUP_KEY);
        FakeEndpoint.Received message = fake.next();
        assertThat(message.method()).isEqualTo("PUT");
        assertThat(message.pathAndQuery()).isEqualTo("/og/v2/alerts/" + alias + "/message?identifierType=alias");
        assertThat(message.json()).isEqualTo(JSON.readTree("{\"message\":\"" + SUBJECT + "\"}"));
        FakeEndpoint.Received description = fake.next();
        assertThat(description.method()).isEqualTo("PUT");
        assertThat(description.json()).isEqualTo(JSON.readTree("{\"description\":\"group DiskFull\"}"));
    }

    @Test
    void telegram_chatIdFromFile(@TempDir Path dir) throws Exception {
        Path chat = dir.resolve("chat");
        Files.writeString(chat, "-42\n");
        Integration tg = fx.only(config("  telegram_configs:\n  - api_url: " + fake.url("") + "\n    bot_token: t\n"
                + "    chat_id_file: " + chat + "\n    parse_mode: ''\n"));
        tg.send(data(false), deadline());
        JsonNode got = fake.next().json();
        assertThat(got.get("chat_id").asString()).isEqualTo("-42");
        assertThat(got.has("parse_mode")).isFalse();
    }
}
