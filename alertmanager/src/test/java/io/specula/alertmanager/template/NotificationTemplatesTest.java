package io.specula.alertmanager.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.template.GoTime;
import io.specula.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The built-in templates against Alertmanager's: the same names render the same text. Where
 * Debian's Alertmanager (0.25) ships its default.tmpl, {@code amtool template render} renders
 * each name over the same data and the outputs are compared; names newer than 0.25 (Teams)
 * are checked against the documented output shape.
 */
class NotificationTemplatesTest {
    private static final Path AMTOOL = Path.of("/usr/bin/amtool");
    private static final Path UPSTREAM_DEFAULTS = Path.of("/usr/share/prometheus/alertmanager/default.tmpl");

    private static final List<String> SHARED_NAMES = List.of("__subject", "__description", "__text_alert_list",
            "__alertmanager", "__alertmanagerURL", "slack.default.title", "slack.default.username",
            "slack.default.fallback", "slack.default.callbackid", "slack.default.pretext", "slack.default.titlelink",
            "slack.default.iconemoji", "slack.default.iconurl", "slack.default.text", "slack.default.footer",
            "pagerduty.default.description", "pagerduty.default.client", "pagerduty.default.clientURL",
            "pagerduty.default.instances", "opsgenie.default.message", "opsgenie.default.description",
            "opsgenie.default.source", "wechat.default.message", "victorops.default.state_message",
            "victorops.default.entity_display_name", "victorops.default.monitoring_tool", "pushover.default.title",
            "pushover.default.message", "pushover.default.url", "sns.default.subject", "sns.default.message",
            "telegram.default.message", "discord.default.title", "discord.default.message", "webex.default.message");

    private static TemplateData.TemplateAlert alert(String status, Map<String, String> labels,
            Map<String, String> annotations, String url) {
        GoTime t = new GoTime(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        return new TemplateData.TemplateAlert(status, new KV(labels), new KV(annotations), t,
                status.equals("firing") ? GoTime.ZERO : t, url, "0123456789abcdef");
    }

    /** Two firing, one resolved; common and group labels differ so every branch of __subject runs. */
    static TemplateData mixed() {
        TemplateData.Alerts alerts = new TemplateData.Alerts();
        alerts.add(alert("firing", Map.of("alertname", "Disk", "job", "node", "instance", "a:9100"),
                Map.of("summary", "disk full", "runbook", "http://rb/disk"), "http://prom/graph?g0.expr=x"));
        alerts.add(alert("firing", Map.of("alertname", "Disk", "job", "node", "instance", "b:9100"),
                Map.of("summary", "disk full"), "http://prom/graph?g0.expr=y"));
        alerts.add(alert("resolved", Map.of("alertname", "Disk", "job", "node", "instance", "c:9100"), Map.of(), ""));
        return new TemplateData("team-a \\(ops\\)", "firing", alerts, new KV(Map.of("alertname", "Disk")),
                new KV(Map.of("alertname", "Disk", "job", "node")), new KV(Map.of("summary", "disk full")),
                "http://am.example:9093");
    }

    static TemplateData resolvedOnly() {
        TemplateData.Alerts alerts = new TemplateData.Alerts();
        alerts.add(alert("resolved", Map.of("alertname", "Up"), Map.of("summary", "down"), "http://g"));
        return new TemplateData("r", "resolved", alerts, new KV(Map.of("alertname", "Up")),
                new KV(Map.of("alertname", "Up")), new KV(Map.of("summary", "down")), "http://am");
    }

    private static String render(String name, TemplateData d) throws TemplateException {
        return NotificationTemplates.defaults().text("{{ template \"" + name + "\" . }}", d);
    }

    @Test
    void subject_namesStatusCountGroupAndOtherCommonLabels() throws Exception {
        assertThat(render("__subject", mixed())).isEqualTo("[FIRING:2] Disk (node)");
        assertThat(render("__subject", resolvedOnly())).isEqualTo("[RESOLVED] Up ");
        assertThat(render("slack.default.fallback", mixed()))
                .isEqualTo("[FIRING:2] Disk (node) | http://am.example:9093/#/alerts?receiver=team-a+%5C%28ops%5C%29");
    }

    @Test
    void textAlertList_listsLabelsAnnotationsAndSource() throws Exception {
        assertThat(NotificationTemplates.defaults().text("{{ template \"__text_alert_list\" .Alerts }}", resolvedOnly()))
                .isEqualTo("Labels:\n - alertname = Up\nAnnotations:\n - summary = down\nSource: http://g\n");
        assertThat(render("telegram.default.message", resolvedOnly())).isEqualTo(
                "\n\n\nAlerts Resolved:\nLabels:\n - alertname = Up\nAnnotations:\n - summary = down\nSource: http://g\n\n\n");
    }

    @Test
    void msteamsText_isMarkdownWithHeadings() throws Exception {
        String md = render("msteams.default.text", resolvedOnly());
        assertThat(md).isEqualTo("\n\n\n# Alerts Resolved:\n\nLabels:\n  - alertname = Up\n\nAnnotations:\n"
                + "  - summary = down\n\nSource: http://g\n\n\n\n");
        assertThat(render("msteamsv2.default.text", resolvedOnly())).isEqualTo(md);
        assertThat(render("msteams.default.title", resolvedOnly())).isEqualTo("[RESOLVED] Up ");
    }

    @Test
    void emailHtml_escapesValuesAndShowsBothSections() throws Exception {
        TemplateData d = mixed();
        d.alerts().getFirst().annotations().put("summary", "<b>x</b>");
        String html = NotificationTemplates.defaults().html("{{ template \"email.default.html\" . }}", d);
        assertThat(html).contains("<title>[FIRING:2] Disk (node)</title>", "3 alerts for alertname=Disk",
                "[2] Firing", "[1] Resolved", "summary = &lt;b&gt;x&lt;/b&gt;", "View in Alertmanager");
        assertThat(render("email.default.subject", d)).isEqualTo("[FIRING:2] Disk (node)");
    }

    @Test
    void userFiles_redefineBuiltinsAndAddNames(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.tmpl"), "{{ define \"__subject\" }}custom {{ .Status }}{{ end }}"
                + "{{ define \"mine\" }}{{ .CommonLabels.job | toUpper }}{{ end }}");
        NotificationTemplates t = NotificationTemplates.load(List.of(dir.resolve("a.tmpl")), Clock.systemUTC());
        assertThat(t.text("{{ template \"slack.default.title\" . }} {{ template \"mine\" . }}", mixed()))
                .isEqualTo("custom firing NODE");
        assertThat(t.text("", mixed())).isEmpty();
        assertThat(t.text("{{ .CommonLabels.nope }}|{{ .Receiver }}", mixed())).isEqualTo("|team-a \\(ops\\)");
    }

    @Test
    void load_reportsParseErrorsWithTheFileName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.tmpl"), "{{ define \"x\" }}{{ .Foo ");
        assertThatThrownBy(() -> NotificationTemplates.load(List.of(dir.resolve("bad.tmpl")), Clock.systemUTC()))
                .isInstanceOf(TemplateException.class).hasMessageStartingWith("template: bad.tmpl:1:");
        assertThatThrownBy(() -> NotificationTemplates.load(List.of(dir.resolve("none.tmpl")), Clock.systemUTC()))
                .hasMessageEndingWith("none.tmpl: no such file or directory");
    }

    /** Every standard name Debian's Alertmanager defines renders as amtool renders it. */
    @Test
    void defaults_renderLikeAmtoolWithAlertmanagersDefaultTmpl(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(AMTOOL) && Files.isReadable(UPSTREAM_DEFAULTS),
                "SKIPPED: amtool or " + UPSTREAM_DEFAULTS + " missing (Debian package prometheus-alertmanager);"
                        + " default template differential test not run");
        StringBuilder diffs = new StringBuilder();
        int compared = 0;
        for (TemplateData d : List.of(mixed(), resolvedOnly())) {
            Path data = dir.resolve("data.json");
            Files.writeString(data, json(d));
            for (String name : SHARED_NAMES) {
                String arg = name.endsWith("alert_list") || name.endsWith("instances") ? ".Alerts" : ".";
                String text = "<{{ template \"" + name + "\" " + arg + " }}>";
                Process p = new ProcessBuilder(AMTOOL.toString(), "template", "render",
                        "--template.glob=" + UPSTREAM_DEFAULTS, "--template.data=" + data, "--template.text=" + text)
                        .redirectErrorStream(true).start();
                String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String ours = NotificationTemplates.defaults().text(text, d);
                compared++;
                if (!ours.equals(theirs)) {
                    diffs.append(name).append("\n ours:   ").append(ours.replace("\n", "\\n"))
                            .append("\n amtool: ").append(theirs.replace("\n", "\\n")).append('\n');
                }
            }
        }
        assertThat(compared).isEqualTo(2 * SHARED_NAMES.size());
        assertThat(diffs.toString()).isEmpty();
    }

    /** template.Data as JSON, amtool's --template.data input. */
    static String json(TemplateData d) {
        JsonMapper m = JsonMapper.builder().build();
        ObjectNode o = m.createObjectNode();
        o.put("receiver", d.receiver());
        o.put("status", d.status());
        ArrayNode arr = o.putArray("alerts");
        for (TemplateData.TemplateAlert a : d.alerts()) {
            ObjectNode x = arr.addObject();
            x.put("status", a.status());
            x.set("labels", m.valueToTree(a.labels()));
            x.set("annotations", m.valueToTree(a.annotations()));
            x.put("startsAt", "2026-01-02T03:04:05Z");
            x.put("endsAt", a.status().equals("firing") ? "0001-01-01T00:00:00Z" : "2026-01-02T03:04:05Z");
            x.put("generatorURL", a.generatorURL());
            x.put("fingerprint", a.fingerprint());
        }
        o.set("groupLabels", m.valueToTree(d.groupLabels()));
        o.set("commonLabels", m.valueToTree(d.commonLabels()));
        o.set("commonAnnotations", m.valueToTree(d.commonAnnotations()));
        o.put("externalURL", d.externalURL());
        return o.toString();
    }
}
