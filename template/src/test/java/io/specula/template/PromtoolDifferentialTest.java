package io.specula.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders alert annotations with this engine and asks the real Prometheus (Debian's
 * {@code promtool test rules}, which expands the same templates with Go's text/template) to
 * confirm them: every expected annotation is our output, so a promtool failure is a
 * difference between the two engines. Skipped, loudly, without promtool.
 */
class PromtoolDifferentialTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    /** Templates exercising the language, Go fmt and Prometheus's functions, errors included. */
    private static final List<String> TEMPLATES = List.of(
            "{{ $labels.instance }} of {{ $labels.job }} = {{ $value }}",
            "{{ $value | humanize }} {{ humanize1024 $value }} {{ humanizeDuration $value }} {{ humanizePercentage 0.1234 }}"
                    + " {{ humanizeTimestamp $value }} {{ humanize \"0.0012\" }} {{ humanizeDuration 0.25 }} {{ humanize1024 -1536 }}",
            "{{ printf \"%.2f|%5.1f|%e|%g|%08.3f|%x|%X|%o|%q|%v|%s|%d|%t\" $value 3.14159 $value 0.000012345 -3.5 255 255 8"
                    + " \"q\\\"\" $labels true 42 false }}",
            "{{ printf \"%5s|%-5s|%.2s|%c|%U|%+d|% d|%#x|%.3g|%.10g|%G\" \"ab\" \"cd\" \"xyz\" 65 9731 5 5 255 1234.5678 $value 1e-9 }}",
            "{{ printf \"%d %s\" 1 }}|{{ printf \"%d\" 1 2 }}|{{ printf \"%d\" \"x\" }}|{{ printf \"%f\" 3 }}|{{ printf \"%!\" }}",
            "{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}{{ range $i, $e := (args \"a\" \"b\") }}{{ $i }}{{ $e }}{{ end }}",
            "{{ if gt $value 1000.0 }}big{{ else if gt $value 10.0 }}mid{{ else }}small{{ end }}",
            "{{ gt $value 1000 }}",
            "[{{ .Labels.missing }}|{{ $labels.missing }}|{{ index $labels \"job\" }}|{{ index $labels \"nope\" }}]",
            "{{ reReplaceAll \"(.*):(\\\\d+)\" \"$2@$1\" $labels.instance }} {{ match \"^host\" $labels.instance }}"
                    + " {{ title \"hello wORLD foo-bar\" }} {{ toUpper \"abc\" }} {{ toLower \"ABC\" }} {{ stripPort $labels.instance }}",
            "{{ graphLink \"up{job=\\\"x\\\"}\" }} {{ tableLink \"rate(x[5m])\" }}",
            "{{ with $x := 5 }}{{ $x }}{{ end }}{{ len $labels }}{{ slice \"abcdef\" 1 3 }}{{ index \"abc\" 1 }}",
            "{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" $labels.job }}{{ template \"x\" (args 1 2) }}{{ template \"x\" }}",
            "{{ html \"<a&b>'\" }} {{ js \"it's <x>\" }} {{ urlquery \"a b&c\" }} {{ print 1 2 \"x\" 3.5 }} {{ println \"y\" 1 }}",
            "{{ .Labels.missing.x }}",
            "{{ index $labels 5 }}",
            "{{ and 1 0 }} {{ or 0 \"\" \"z\" }} {{ not true }} {{ eq 1 1 2 }} {{ ne \"a\" \"b\" }} {{ le 1.5 2.5 }} {{ eq \"x\" \"y\" \"x\" }}",
            "{{ 0.1 }} {{ 1e21 }} {{ 1e-7 }} {{ 123456789.0 }} {{ -0.0 }} {{ 0x1F }} {{ 'a' }} {{ 1e3 }} {{ 017 }}",
            "{{ humanize \"1234\" }} {{ toTime 1435065584.128 }} {{ $labels }} {{ .ExternalLabels }}",
            "{{ range $i, $e := (args 1 2 3) }}{{ if eq $i \"arg1\" }}{{ continue }}{{ end }}{{ $e }}{{ end }}",
            "{{- /* comment */ -}}  {{ \"trim\" -}}   \n  {{- \"med\" }}",
            "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
            "{{ len 3 }}",
            "{{ index (args 1) \"arg0\" \"x\" }}",
            "{{ slice \"abc\" 2 1 }}",
            "{{ humanize \"abc\" }}",
            "{{ printf \"%v %v\" (args) nil }}",
            "{{ .Value | printf \"%.1f\" | printf \"%s!\" }}",
            "line one\n  two {{ index $labels 5 }}",
            "{{ block \"b\" $labels.job }}<{{ . }}>{{ end }}{{ define \"c\" }}{{ template \"b\" . }}{{ end }}{{ template \"c\" \"z\" }}",
            "{{ range (args 1 2 3 4) }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}",
            "{{ printf \"%v|%d|%s|%q|%x\" (args 1.5 2) (args 1 2) (args \"a\") (args \"b\") \"hi\" }}",
            "{{ printf \"%08.3e|%-10.4g|%+.2f|% .1f|%6.2f%%\" 1234.5 0.000123456 2.005 -1.25 99.555 }}",
            "{{ printf \"%.0f %.0f %.0f %.1f %.2f %.3g\" 0.5 1.5 2.5 0.05 1.005 100.5 }}",
            "{{ humanize 999.95 }} {{ humanize 0.00099999 }} {{ humanize1024 1023.99 }} {{ humanizeDuration 59.999 }} {{ humanizeDuration 3599.5 }}",
            "{{ $labels.missing | len }} {{ if $labels.missing }}y{{ else }}n{{ end }} {{ eq $labels.missing \"\" }}",
            "{{ index $labels \"missing\" | printf \"%q\" }} {{ len (index $labels \"job\") }}",
            "{{ $value | printf \"%T %v\" }} {{ printf \"%T\" $labels }} {{ printf \"%T\" (args) }}",
            "{{ .Labels.job.x }}",
            "{{ $labels.job 1 }}",
            "{{ template \"nope\" }}",
            "{{ (index $labels \"job\").foo }}");

    @Test
    void alertAnnotations_renderLikePrometheus(@TempDir Path dir) throws Exception {
        assertSameAsPromtool(dir, TEMPLATES);
    }

    /** Random, mostly valid templates from a small grammar: any difference fails with both outputs. */
    @ParameterizedTest
    @MethodSource("seeds")
    void randomTemplates_renderLikePrometheus(long seed, @TempDir Path dir) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> templates = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            templates.add(RandomTemplates.template(rnd));
        }
        assertSameAsPromtool(dir, templates);
    }

    /** Two fixed seeds; more with -Dspecula.promtool.seeds=N for a longer local run. */
    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.concat(java.util.stream.LongStream.of(7, 1234),
                java.util.stream.LongStream.range(100, 100 + Integer.getInteger("specula.promtool.seeds", 0)));
    }

    private static void assertSameAsPromtool(Path dir, List<String> templates) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL),
                "SKIPPED: promtool not found at " + PROMTOOL + " (Debian package prometheus); differential test not run");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__name__", "test_metric");
        labels.put("instance", "host.example.com:9100");
        labels.put("job", "node");
        double value = 1234567;
        Map<String, Object> data = PrometheusFunctions.alertData(labels, Map.of(), "", value);
        FunctionSet fs = PrometheusFunctions.create((e, t) -> List.of(), 60_000, null);

        StringBuilder rules = new StringBuilder("groups:\n- name: g\n  rules:\n  - alert: T\n    expr: test_metric\n    annotations:\n");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < templates.size(); i++) {
            String key = String.format("a%03d", i);
            rules.append("      ").append(key).append(": ").append(yamlString(templates.get(i))).append('\n');
            expected.append("          ").append(key).append(": ").append(yamlString(expand("T", templates.get(i), data, fs)))
                    .append('\n');
        }
        Files.writeString(dir.resolve("rules.yml"), rules);
        Files.writeString(dir.resolve("test.yml"), """
                rule_files: [rules.yml]
                evaluation_interval: 1m
                tests:
                - interval: 1m
                  input_series:
                  - series: 'test_metric{instance="host.example.com:9100", job="node"}'
                    values: '1234567 1234567'
                  alert_rule_test:
                  - eval_time: 1m
                    alertname: T
                    exp_alerts:
                    - exp_labels: {instance: "host.example.com:9100", job: node}
                      exp_annotations:
                """ + expected);
        Process p = new ProcessBuilder(PROMTOOL.toString(), "test", "rules", "test.yml").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool output:\n" + out + "\ndifferences:\n" + differences(out, templates)).isZero();
    }

    /** The annotations promtool's failure report shows differently in "exp" (ours) and "got" (Prometheus). */
    private static String differences(String out, List<String> templates) {
        int exp = out.indexOf("exp:[");
        int got = out.indexOf("got:[");
        if (exp < 0 || got < 0) {
            return "(no comparison in output)";
        }
        Map<String, String> ours = annotations(out.substring(exp, got));
        Map<String, String> theirs = annotations(out.substring(got));
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : ours.entrySet()) {
            String t = theirs.get(e.getKey());
            if (!e.getValue().equals(t)) {
                int i = Integer.parseInt(e.getKey().substring(1));
                b.append(e.getKey()).append(" template: ").append(templates.get(i)).append("\n   ours: ")
                        .append(e.getValue()).append("\n   prom: ").append(t).append('\n');
            }
        }
        return b.toString();
    }

    private static Map<String, String> annotations(String block) {
        Map<String, String> m = new LinkedHashMap<>();
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("(a\\d{2,3})=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(block);
        while (x.find()) {
            m.putIfAbsent(x.group(1), x.group(2));
        }
        return m;
    }

    /** Templates promtool refuses to load: the rule checker must print our parse errors. */
    private static final List<String> BAD_TEMPLATES = List.of(
            "{{ if }}", "{{ nosuchfunction 1 }}", "{{ .x", "{{ if .x }}a", "{{ end }}", "{{ $nope }}", "{{ \"abc }}",
            "{{ 3x }}", "{{ (1 }}", "{{ 1) }}", "{{ . | 1 }}", "{{ range $a, $b, $c := . }}{{ end }}", "{{ break }}",
            "{{ template .x }}", "{{ .x @ }}", "{{ \"a\".x }}", "{{/* c */ 1 }}", "{{ else }}",
            "{{ define \"a\" }}1{{ end }}{{ define \"a\" }}2{{ end }}", "a\n{{ if 1 }}\n{{ else }}\n{{ else }}{{ end }}",
            "{{ range . }}{{ else if . }}{{ end }}", "{{ printf \"%d\" 1 | 2 }}", "{{ 'ab' }}", "{{ 0x }}",
            "{{ with $x := 1, 2 }}{{ end }}", "{{ $x := 1 | $x = 2 }}", "{{ index (1 }}");

    @Test
    void templateParseErrors_matchPromtoolCheckRules(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL),
                "SKIPPED: promtool not found at " + PROMTOOL + " (Debian package prometheus); differential test not run");
        StringBuilder rules = new StringBuilder("groups:\n- name: g\n  rules:\n");
        StringBuilder expected = new StringBuilder();
        FunctionSet fs = PrometheusFunctions.forParsing();
        for (int i = 0; i < BAD_TEMPLATES.size(); i++) {
            String text = BAD_TEMPLATES.get(i);
            rules.append("  - alert: T\n    expr: up\n    annotations:\n      a: ").append(yamlString(text)).append('\n');
            try {
                Template.parse("__alert_T", PrometheusFunctions.alertTemplatePrefix() + text, fs);
                expected.append("rule ").append(i + 1).append(": parsed\n");
            } catch (TemplateException e) {
                expected.append("rule ").append(i + 1).append(": ").append(e.getMessage()).append('\n');
            }
        }
        Files.writeString(dir.resolve("rules.yml"), rules);
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "rules", "rules.yml").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        StringBuilder got = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("rules.yml: group \"g\", rule (\\d+), \"T\": annotation \"a\": (.*)").matcher(out);
        java.util.Map<Integer, String> errors = new java.util.TreeMap<>();
        while (m.find()) {
            errors.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        for (int i = 1; i <= BAD_TEMPLATES.size(); i++) {
            got.append("rule ").append(i).append(": ").append(errors.getOrDefault(i, "parsed")).append('\n');
        }
        assertThat(expected.toString()).as("promtool output:\n" + out).isEqualTo(got.toString());
    }

    /** What Prometheus's alerting rule writes into an annotation, error text included. */
    private static String expand(String alert, String text, Object data, FunctionSet fs) {
        String name = "__alert_" + alert;
        Template t;
        try {
            t = Template.parse(name, PrometheusFunctions.alertTemplatePrefix() + text, fs)
                    .withMissingKey(Template.MissingKey.ZERO);
        } catch (TemplateException e) {
            return "<error expanding template: error parsing template " + name + ": " + e.getMessage() + ">";
        }
        try {
            return t.executeToString(data);
        } catch (TemplateException e) {
            return "<error expanding template: error executing template " + name + ": " + e.getMessage() + ">";
        }
    }

    /** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
    private static String yamlString(String s) {
        StringBuilder b = new StringBuilder();
        GoJson.string(b, s);
        return b.toString();
    }

}
