package io.specula.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Examples from Alertmanager's notification template reference and its template tests. */
class AlertmanagerFunctionsTest {
    private static final Instant NOW = Instant.parse("2024-01-02T15:04:05Z");
    private static final FunctionSet FS = AlertmanagerFunctions.create(Clock.fixed(NOW, ZoneOffset.UTC));

    static String run(String text, Object data) throws TemplateException {
        return Template.parse("", text, FS).withMissingKey(Template.MissingKey.ZERO).executeToString(data);
    }

    /** Alertmanager's KV: a label map with methods. */
    public static final class KV extends TreeMap<String, String> implements GoTyped {
        @Override
        public String goTypeName() {
            return "template.KV";
        }

        public KV(Map<String, String> m) {
            super(m);
        }

        public Pairs sortedPairs() {
            return new Pairs(entrySet().stream().map(e -> new Pair(e.getKey(), e.getValue())).toList());
        }

        public List<String> names() {
            return List.copyOf(keySet());
        }

        public List<String> values() {
            return List.copyOf(super.values());
        }

        public KV remove(List<String> keys) {
            KV kv = new KV(this);
            keys.forEach(kv::remove);
            return kv;
        }
    }

    public record Pair(String name, String value) implements GoTyped {
        @Override
        public String goTypeName() {
            return "template.Pair";
        }
    }

    public static final class Pairs extends java.util.ArrayList<Pair> implements GoTyped {
        @Override
        public String goTypeName() {
            return "template.Pairs";
        }

        Pairs(List<Pair> l) {
            super(l);
        }

        public List<String> names() {
            return stream().map(Pair::name).toList();
        }

        public List<String> values() {
            return stream().map(Pair::value).toList();
        }
    }

    public record Alert(String status, KV labels, KV annotations, GoTime startsAt, GoTime endsAt) {}

    /** Alertmanager's Alerts: a slice with Firing/Resolved methods. */
    public static final class Alerts extends java.util.ArrayList<Alert> {
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

    public record Data(String receiver, String status, Alerts alerts, KV groupLabels, KV commonLabels,
            KV commonAnnotations, String externalURL) {}

    private static Data data() {
        GoTime start = new GoTime(NOW.minusSeconds(3600), ZoneOffset.UTC);
        Alert a1 = new Alert("firing", new KV(Map.of("alertname", "Down", "instance", "a:9100", "severity", "page")),
                new KV(Map.of("summary", "a is down")), start, GoTime.ZERO);
        Alert a2 = new Alert("resolved", new KV(Map.of("alertname", "Down", "instance", "b:9100", "severity", "page")),
                new KV(Map.of("summary", "b is down")), start, new GoTime(NOW, ZoneOffset.UTC));
        return new Data("team", "firing", new Alerts(List.of(a1, a2)), new KV(Map.of("alertname", "Down")),
                new KV(Map.of("alertname", "Down", "severity", "page")), new KV(Map.of()), "http://am:9093");
    }

    @Test
    void stringFunctions() throws Exception {
        assertThat(run("{{ \"abc\" | toUpper }} {{ \"ABC\" | toLower }} {{ \"hello wORLD\" | title }} [{{ \"  x \\n\" | trimSpace }}]", null))
                .isEqualTo("ABC abc Hello World [x]");
        assertThat(run("{{ title \"it's 5m a.b hello_world x-y ǆemal 1st HELLO\" }}", null))
                .isEqualTo("It's 5M A.b Hello_world X-Y ǅemal 1St Hello");
        assertThat(run("{{ stringSlice \"a\" \"b\" \"c\" | join \", \" }}", null)).isEqualTo("a, b, c");
        assertThat(run("{{ match \"^D\" \"Down\" }} {{ reReplaceAll \"(.*):.*\" \"$1\" \"host:80\" }}", null)).isEqualTo("true host");
        assertThat(run("{{ \"http%3A%2F%2Fexample.com%2Fa+b\" | urlUnescape }}", null)).isEqualTo("http://example.com/a b");
        assertThatThrownBy(() -> run("{{ urlUnescape \"%zz\" }}", null))
                .hasMessageEndingWith("error calling urlUnescape: invalid URL escape \"%zz\"");
        assertThat(run("{{ safeUrl \"http://x\" }}", null)).isEqualTo("http://x");
    }

    @Test
    void dataModel_methodsOnSlicesAndMaps() throws Exception {
        String t = "[{{ .Status | toUpper }}{{ if eq .Status \"firing\" }}:{{ .Alerts.Firing | len }}{{ end }}] "
                + "{{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}"
                + "{{ .CommonLabels.Remove (stringSlice \"severity\") }} {{ .GroupLabels.Names }} "
                + "{{ range .Alerts.Resolved }}{{ .Labels.instance }}{{ end }} {{ .CommonAnnotations.missing }}|";
        assertThat(run(t, data())).isEqualTo("[FIRING:1] alertname=Down severity=page map[alertname:Down] [alertname] b:9100 |");
    }

    @Test
    void timeFunctions() throws Exception {
        Data d = data();
        assertThat(run("{{ range .Alerts }}{{ .StartsAt | date \"2006-01-02 15:04:05 MST\" }};{{ end }}", d))
                .isEqualTo("2024-01-02 14:04:05 UTC;2024-01-02 14:04:05 UTC;");
        assertThat(run("{{ (index .Alerts 0).StartsAt | tz \"Europe/Paris\" | date \"15:04 MST\" }}", d)).isEqualTo("15:04 CET");
        assertThat(run("{{ (index .Alerts 0).StartsAt | since }} {{ (index .Alerts 0).StartsAt | since | humanizeDuration }}", d))
                .isEqualTo("1h0m0s 1h 0m 0s");
        assertThat(run("{{ range .Alerts }}{{ if .EndsAt.IsZero }}open{{ else }}{{ .EndsAt.Format \"15:04\" }}{{ end }} {{ end }}", d))
                .isEqualTo("open 15:04 ");
        assertThat(run("{{ (index .Alerts 0).StartsAt }}", d)).isEqualTo("2024-01-02 14:04:05 +0000 UTC");
        assertThatThrownBy(() -> run("{{ (index .Alerts 0).StartsAt | tz \"Mars/Olympus\" }}", d))
                .hasMessageEndingWith("error calling tz: unknown time zone Mars/Olympus");
        assertThatThrownBy(() -> run("{{ date \"2006\" \"notatime\" }}", d))
                .hasMessageEndingWith("wrong type for value; expected time.Time; got string");
    }

    @Test
    void toJson_likeGoEncodingJson() throws Exception {
        assertThat(run("{{ .CommonLabels | toJson }}", data())).isEqualTo("{\"alertname\":\"Down\",\"severity\":\"page\"}");
        assertThat(GoJson.encode(List.of(1L, 1.5, 1e21, 1e-7, 100.0, "<&>", true, Map.of()))).isEqualTo(
                "[1,1.5,1e+21,1e-7,100,\"\\u003c\\u0026\\u003e\",true,{}]");
        assertThat(GoJson.encode(new Pair("a", "b\n"))).isEqualTo("{\"name\":\"a\",\"value\":\"b\\n\"}");
        assertThat(GoJson.encode(GoTime.ZERO)).isEqualTo("\"0001-01-01T00:00:00Z\"");
        assertThatThrownBy(() -> run("{{ toJson . }}", Double.NaN)).hasMessageEndingWith("json: unsupported value: NaN");
    }

    @Test
    void defaultStyleTemplates_withDefinitions() throws Exception {
        Template lib = Template.parse("default.tmpl", """
                {{ define "__subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] \
                {{ .GroupLabels.SortedPairs.Values | join " " }}{{ end }}
                {{ define "email.default.html" }}<h1>{{ template "__subject" . }}</h1>{{ end }}
                """, FS).withMissingKey(Template.MissingKey.ZERO);
        Template subject = lib.parseMore("", "{{ template \"__subject\" . }}");
        assertThat(subject.executeToString(data())).isEqualTo("[FIRING:1] Down");
        Template html = lib.withHtmlMode(true).parseMore("", "{{ template \"email.default.html\" . }}<p>{{ \"<i>\" }}</p>");
        assertThat(html.executeToString(data())).isEqualTo("<h1>[FIRING:1] Down</h1><p>&lt;i&gt;</p>");
    }
}
