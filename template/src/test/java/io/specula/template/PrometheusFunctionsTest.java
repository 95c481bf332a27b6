package io.specula.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Examples from Prometheus's template reference and its template tests. */
class PrometheusFunctionsTest {
    private static final List<QuerySample> RESULT = List.of(
            new QuerySample(Map.of("__name__", "up", "instance", "b:9100", "job", "node"), 1),
            new QuerySample(Map.of("__name__", "up", "instance", "a:9100", "job", "node"), 0));

    private static final QueryFunction QUERY = (expr, ts) -> switch (expr) {
        case "up" -> RESULT;
        case "1.5" -> List.of(new QuerySample(Map.of(), 1.5));
        case "none" -> List.of();
        case "ts" -> List.of(new QuerySample(Map.of(), ts));
        default -> throw new IllegalArgumentException("parse error: unexpected character");
    };

    private static final FunctionSet FS = PrometheusFunctions.create(QUERY, 1_700_000_000_000L,
            URI.create("https://prom.example.com/sub/path"));

    static String run(String text, Object data) throws TemplateException {
        return Template.parse("test", text, FS).withMissingKey(Template.MissingKey.ZERO).executeToString(data);
    }

    @Test
    void humanize_matchesPrometheus() throws Exception {
        String each = "{{ range . }}{{ humanize . }}:{{ end }}";
        assertThat(run(each, List.of(0.0, 1.0, 1234567.0, .12))).isEqualTo("0:1:1.235M:120m:");
        assertThat(run(each, List.of(12345.0, 0.0001, -1500.0, 1e30, Double.NaN, Double.POSITIVE_INFINITY)))
                .isEqualTo("12.35k:100u:-1.5k:1e+06Y:NaN:+Inf:");
        assertThat(run("{{ humanize \"1234567\" }} {{ humanize 1234567 }}", null)).isEqualTo("1.235M 1.235M");
    }

    @Test
    void humanize1024_matchesPrometheus() throws Exception {
        assertThat(run("{{ range . }}{{ humanize1024 . }}:{{ end }}", List.of(0.0, 1.0, 1048576.0, .12, 1536.0)))
                .isEqualTo("0:1:1Mi:0.12:1.5ki:");
    }

    @Test
    void humanizeDuration_matchesPrometheus() throws Exception {
        String each = "{{ range . }}{{ humanizeDuration . }}:{{ end }}";
        assertThat(run(each, List.of(0.0, 1.0, 60.0, 3600.0, 86400.0, 86400.0 + 3600, -(86400.0 * 2 + 3600 * 3 + 60 * 4 + 5),
                899.99))).isEqualTo("0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:");
        assertThat(run(each, List.of(.1, .0001, .12345, 60.1, 60.5, 1.2345, 12.345)))
                .isEqualTo("100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:");
        assertThat(run("{{ humanizeDuration 90 }}", null)).isEqualTo("1m 30s");
    }

    @Test
    void humanizePercentageAndTimestamp() throws Exception {
        assertThat(run("{{ range . }}{{ humanizePercentage . }}:{{ end }}", List.of(0.0, 0.1234567, 0.5, 1.0, 1.5)))
                .isEqualTo("0%:12.35%:50%:100%:150%:");
        assertThat(run("{{ humanizeTimestamp 1435065584.128 }}", null)).isEqualTo("2015-06-23 13:19:44.128 +0000 UTC");
        assertThat(run("{{ humanizeTimestamp . }}", 0.0)).isEqualTo("1970-01-01 00:00:00 +0000 UTC");
        assertThat(run("{{ toTime 1435065584.128 }}", null)).isEqualTo("2015-06-23 13:19:44.128 +0000 UTC");
        assertThat(run("{{ (toTime 1435065584).Unix }}", null)).isEqualTo("1435065584");
        assertThat(run("{{ toDuration 90.5 }}", null)).isEqualTo("1m30.5s");
        assertThatThrownBy(() -> run("{{ humanize \"one\" }}", null)).isInstanceOf(TemplateException.class)
                .hasMessage("template: test:1:3: executing \"test\" at <humanize \"one\">: error calling humanize: "
                        + "strconv.ParseFloat: parsing \"one\": invalid syntax");
        assertThatThrownBy(() -> run("{{ humanizeTimestamp 1e300 }}", null))
                .hasMessageEndingWith("cannot be represented as a nanoseconds timestamp since it overflows int64");
    }

    @Test
    void strings() throws Exception {
        assertThat(run("{{ title \"it's 5m a.b hello_world x-y ǆemal\" }}", null)).isEqualTo("It'S 5m A.B Hello_world X-Y ǅemal");
        assertThat(run("{{ title \"aa bb CC\" }}|{{ toUpper \"aBc\" }}|{{ toLower \"aBc\" }}", null)).isEqualTo("Aa Bb CC|ABC|abc");
        assertThat(run("{{ match \"a+\" \"graph\" }} {{ match \"^x\" \"graph\" }}", null)).isEqualTo("true false");
        assertThat(run("{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}", null)).isEqualTo("xa");
        assertThat(run("{{ reReplaceAll \"(?P<host>[^:]+):(\\\\d+)\" \"${host}/$2/$$/$9/$1x\" \"node:9100\" }}", null))
                .isEqualTo("node/9100/$//");
        assertThat(run("{{ reReplaceAll \"a*\" \"-\" \"baaac\" }}", null)).isEqualTo("-b-c-");
        assertThat(run("{{ graphLink \"up{job=\\\"x\\\"}\" }}", null)).isEqualTo("/graph?g0.expr=up%7Bjob%3D%22x%22%7D&g0.tab=0");
        assertThat(run("{{ tableLink \"up\" }}", null)).isEqualTo("/graph?g0.expr=up&g0.tab=1");
        assertThatThrownBy(() -> run("{{ match \"(\" \"x\" }}", null)).hasMessageContaining("error calling match: error parsing regexp");
    }

    @Test
    void stripPortAndDomain() throws Exception {
        String each = "{{ range . }}{{ stripPort . }}|{{ stripDomain . }} {{ end }}";
        assertThat(run(each, List.of("foo.example.com:12345", "[2001:0DB8::1]:12345", "foo", "192.0.2.1:12345", "foo.example.com")))
                .isEqualTo("foo.example.com|foo:12345 2001:0DB8::1|[2001:0DB8::1]:12345 foo|foo 192.0.2.1|192.0.2.1:12345 "
                        + "foo.example.com|foo ");
    }

    @Test
    void queries() throws Exception {
        assertThat(run("{{ query \"1.5\" | first | value }}", null)).isEqualTo("1.5");
        assertThat(run("{{ range query \"up\" }}{{ .Labels.instance }}={{ .Value }} {{ end }}", null))
                .isEqualTo("b:9100=1 a:9100=0 ");
        assertThat(run("{{ range query \"up\" | sortByLabel \"instance\" }}{{ label \"instance\" . }} {{ end }}", null))
                .isEqualTo("a:9100 b:9100 ");
        assertThat(run("{{ with query \"up\" }}{{ . | first | label \"job\" }}{{ end }}", null)).isEqualTo("node");
        assertThat(run("{{ query \"ts\" | first | value }}", null)).isEqualTo("1.7e+12");
        assertThatThrownBy(() -> run("{{ query \"none\" | first }}", null))
                .hasMessageEndingWith("error calling first: first() called on vector with no elements");
        assertThatThrownBy(() -> run("{{ query \"bad(\" }}", null))
                .hasMessageEndingWith("error calling query: parse error: unexpected character");
        assertThatThrownBy(() -> Template.parse("t", "{{ query \"up\" }}", PrometheusFunctions.forParsing()).executeToString(null))
                .hasMessageEndingWith("error calling query: query is not available here");
    }

    @Test
    void othersAndContext() throws Exception {
        assertThat(run("{{ define \"x\" }}{{ .arg0 }} {{ .arg1 }}{{ end }}{{ template \"x\" (args 1 \"2\") }}", null))
                .isEqualTo("1 2");
        assertThat(run("{{ parseDuration \"1h2m10ms\" }} {{ parseDuration \"1d\" }} {{ parseDuration \"0\" }}", null))
                .isEqualTo("3720.01 86400 0");
        assertThatThrownBy(() -> run("{{ parseDuration \"1x\" }}", null))
                .hasMessageEndingWith("error calling parseDuration: not a valid duration string: \"1x\"");
        assertThat(run("{{ pathPrefix }} {{ externalURL }} {{ now }}", null))
                .isEqualTo("/sub/path https://prom.example.com/sub/path 1.7e+09");
        assertThat(run("{{ safeHtml \"<b>\" }}", null)).isEqualTo("<b>");
    }

    @Test
    void tmpl_runsNamedTemplateAsTrustedHtml() throws Exception {
        Template t = Template.parse("c", "{{ define \"row\" }}<td>{{ . }}</td>{{ end }}{{ tmpl \"row\" \"<x>\" }}", FS)
                .withHtmlMode(true);
        assertThat(t.executeToString(null)).isEqualTo("<td>&lt;x&gt;</td>");
    }

    @Test
    void alertTemplate_withPrometheusVariables() throws Exception {
        Map<String, Object> data = PrometheusFunctions.alertData(Map.of("instance", "host:9100", "job", "node"),
                Map.of("cluster", "eu1"), "http://prom:9090", 0.4567);
        String text = PrometheusFunctions.alertTemplatePrefix()
                + "{{ $labels.instance }} of {{ $labels.job }} in {{ $externalLabels.cluster }} is {{ $value | humanizePercentage }}"
                + " [{{ $labels.missing }}] {{ printf \"%.2f\" $value }} {{ .Value }} {{ $externalURL }}";
        assertThat(run(text, data)).isEqualTo("host:9100 of node in eu1 is 45.67% [] 0.46 0.4567 http://prom:9090");
    }

    @Test
    void withFunctions_rebindsPerEvaluation() throws Exception {
        Template parsed = Template.parse("t", "{{ query \"1.5\" | first | value }}", PrometheusFunctions.forParsing());
        assertThat(parsed.withFunctions(FS).executeToString(null)).isEqualTo("1.5");
        assertThatThrownBy(() -> parsed.withFunctions(FunctionSet.builtins())).isInstanceOf(IllegalArgumentException.class);
    }
}
