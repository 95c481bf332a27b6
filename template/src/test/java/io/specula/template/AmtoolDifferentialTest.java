package io.specula.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.template.AlertmanagerFunctionsTest.KV;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders notification templates with this engine and with the real Alertmanager's
 * {@code amtool template render} (Debian's prometheus-alertmanager), over amtool's built-in
 * example data, in text and HTML mode. Skipped, loudly, without amtool.
 */
class AmtoolDifferentialTest {
    private static final Path AMTOOL = Path.of("/usr/bin/amtool");

    /** Only functions amtool 0.25 knows; no times (amtool's example data uses the current time). */
    private static final List<String> TEMPLATES = List.of(
            "{{ .Receiver }}|{{ .Status | toUpper }}|{{ .GroupLabels }}|{{ .CommonLabels.SortedPairs }}|{{ .CommonLabels.Names }}"
                    + "|{{ .CommonLabels.Values }}|{{ len .Alerts }}|{{ .ExternalURL }}",
            "{{ range .Alerts }}{{ .Labels.SortedPairs.Values | join \",\" }};{{ .Annotations.Names }};{{ .GeneratorURL }};"
                    + "{{ .Fingerprint }}|{{ end }}",
            "{{ (.CommonLabels.Remove (stringSlice \"commonlabelkey1\")).Names }} {{ .CommonAnnotations.SortedPairs.Names }}",
            "{{ range .Alerts.Firing }}F{{ end }}{{ range .Alerts.Resolved }}R{{ end }}{{ len .Alerts.Firing }}",
            "{{ title \"hello wORLD-foo\" }} {{ toLower \"ABC\" }} {{ match \"^re\" .Receiver }}"
                    + " {{ reReplaceAll \"(\\\\w+)key(\\\\d)\" \"$2$1\" \"commonlabelkey1\" }}",
            "{{ \"<b>&+\\\"'\" }} {{ safeHtml \"<i>\" }} [{{ .CommonLabels.nope }}] {{ 1.5 }} {{ 1e21 }} {{ true }}"
                    + " {{ .GroupLabels }} {{ printf \"%s<\" \"<\" }} {{ html \"<\" }} {{ index .CommonLabels \"nope\" }}|"
                    + "{{ with .CommonLabels.nope }}x{{ else }}y{{ end }}",
            "{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" .Status }}{{ template \"x\" (index .Alerts 1).Labels.foo }}",
            "{{ range $i, $a := .Alerts }}{{ $i }}:{{ range $k, $v := $a.Labels }}{{ $k }}={{ $v }},{{ end }}{{ end }}",
            "{{ .CommonLabels.SortedPairs.Values | join \" \" | printf \"%q\" }} {{ index (index .Alerts 0).Labels \"instance\" }}",
            "{{ .GroupLabels.grouplabelkey1 | toUpper }} {{ with .CommonAnnotations }}{{ .commonannotationkey2 }}{{ end }}",
            "a<!-- c {{ .Receiver }} -->b<p class=\"x>y\">{{ \"<\" }}</p> 3 < 4 <br/>{{ \"&\" }}",
            "<a href=\"{{ .ExternalURL }}/x?y={{ .Receiver }}\">{{ .Receiver }}</a><td style=\"color: {{ .Status }}\">");

    record Alert(String status, KV labels, KV annotations, GoTime startsAt, GoTime endsAt, String generatorURL,
            String fingerprint) {}

    /** Alertmanager's Alerts, with Firing/Resolved. */
    public static final class Alerts extends ArrayList<Alert> {
        Alerts(List<Alert> l) {
            super(l);
        }

        public Alerts firing() {
            return new Alerts(stream().filter(a -> a.status().equals("firing")).toList());
        }

        public Alerts resolved() {
            return new Alerts(stream().filter(a -> a.status().equals("resolved")).toList());
        }
    }

    record Data(String receiver, String status, Alerts alerts, KV groupLabels, KV commonLabels, KV commonAnnotations,
            String externalURL) {}

    /** amtool's example data (cli/template_render.go), times aside. */
    private static Data exampleData() {
        GoTime t = new GoTime(Instant.EPOCH, ZoneOffset.UTC);
        Map<String, String> common = Map.of("commonlabelkey1", "commonlabelvalue1", "commonlabelkey2", "commonlabelvalue2");
        Map<String, String> commonAnn = Map.of("commonannotationkey1", "commonannotationvalue1", "commonannotationkey2",
                "commonannotationvalue2");
        KV l1 = new KV(common);
        l1.putAll(Map.of("instance", "foo.bar:1234", "label1", "value1", "label2", "value2"));
        KV a1 = new KV(commonAnn);
        a1.putAll(Map.of("annotation1", "value1", "annotation2", "value2"));
        KV l2 = new KV(common);
        l2.putAll(Map.of("foo", "bar", "baz", "qux"));
        KV a2 = new KV(commonAnn);
        a2.putAll(Map.of("aaa", "bbb", "ccc", "ddd"));
        Alerts alerts = new Alerts(List.of(
                new Alert("alertstatus", l1, a1, t, t, "https://generatorurl.com", "fingerprint1"),
                new Alert("alertstatus", l2, a2, t, t, "https://generatorurl.com", "fingerprint2")));
        return new Data("receiver", "alertstatus", alerts,
                new KV(Map.of("grouplabelkey1", "grouplabelvalue1", "grouplabelkey2", "grouplabelvalue2")), new KV(common),
                new KV(commonAnn), "https://example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "html"})
    void notificationTemplates_renderLikeAlertmanager(String type, @TempDir Path dir) throws Exception {
        assertSameAsAmtool(type, dir, TEMPLATES);
    }

    /** Random templates over amtool's data and functions, in both modes. */
    @ParameterizedTest
    @ValueSource(longs = {11, 12})
    void randomTemplates_renderLikeAlertmanager(long seed, @TempDir Path dir) throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        List<String> templates = new ArrayList<>();
        for (int i = 0; i < Integer.getInteger("specula.amtool.templates", 40); i++) {
            templates.add(RandomTemplates.template(rnd, RandomTemplates.ALERTMANAGER));
        }
        assertSameAsAmtool(seed % 2 == 0 ? "html" : "text", dir, templates);
    }

    private static void assertSameAsAmtool(String type, Path dir, List<String> templates) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(AMTOOL),
                "SKIPPED: amtool not found at " + AMTOOL + " (Debian package prometheus-alertmanager); differential test not run");
        Path lib = dir.resolve("lib.tmpl");
        Files.writeString(lib, "{{ define \"lib\" }}lib{{ end }}");
        Template base = Template.parse("", Files.readString(lib), AlertmanagerFunctions.get())
                .withMissingKey(Template.MissingKey.ZERO).withHtmlMode(type.equals("html"));
        StringBuilder differences = new StringBuilder();
        for (String text : templates) {
            Process p = new ProcessBuilder(AMTOOL.toString(), "template", "render", "--template.glob=" + lib,
                    "--template.type=" + type, "--template.text=" + text).redirectErrorStream(true).start();
            String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            if (theirs.startsWith("amtool: error:")) {
                theirs = theirs.strip(); // errors end with blank lines
            } else if (theirs.endsWith("\n")) {
                theirs = theirs.substring(0, theirs.length() - 1);
            }
            String ours;
            try {
                ours = base.parseMore("", text).executeToString(exampleData());
            } catch (TemplateException e) {
                ours = "amtool: error: " + e.getMessage();
            }
            if (!ours.strip().equals(theirs.strip())) { // amtool trims what it prints
                differences.append(text).append("\n   ours: ").append(ours).append("\n   amtool: ").append(theirs).append('\n');
            }
        }
        assertThat(differences.toString()).isEmpty();
    }
}
