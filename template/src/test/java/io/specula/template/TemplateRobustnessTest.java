package io.specula.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random templates, built from the grammar's pieces and then mutated: parsing and
 * executing them must either succeed or fail with a TemplateException, never anything else.
 */
class TemplateRobustnessTest {
    private static final String[] PIECES = {
        "{{", "}}", "{{-", "-}}", " ", "\n", ".", ".a", ".a.b", ".l", ".m", ".n", ".s", ".f", ".kv", ".kv.Names", "$", "$x",
        "$i", "$e", ":=", "=", ",", "|", "(", ")", "if", "else", "else if", "end", "range", "with", "else with", "define",
        "template", "block", "break", "continue", "nil", "true", "false", "0", "1", "-2", "3.5", "1e3", "0x1f", "'a'",
        "\"x\"", "\"t\"", "`raw`", "\"%d %s %v %.2f %q %x %5.1e %-4g\"", "and", "or", "not", "len", "index", "slice",
        "print", "printf", "println", "html", "js", "urlquery", "call", "eq", "ne", "lt", "le", "gt", "ge", "humanize",
        "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "title", "toUpper", "match",
        "reReplaceAll", "safeHtml", "stripPort", "stripDomain", "parseDuration", "args", "tmpl", "query", "first", "label",
        "value", "sortByLabel", "toTime", "toDuration", "\"up\"", "\"(a\"", "\"[a-\"", "/*", "*/", "{{/* c */}}", "text",
    };

    /** More with -Dspecula.fuzz.iterations=N for a longer local run. */
    private static final int ITERATIONS = Integer.getInteger("specula.fuzz.iterations", 20000);

    private static final String[] VALID = {
        "{{range $i, $e := .l}}{{$i}}{{$e}}{{else}}none{{end}}",
        "{{if .a}}{{.a.b}}{{else if .n}}{{.n}}{{end}}",
        "{{with .m}}{{range $k, $v := .}}{{$k}}={{$v}}{{end}}{{end}}",
        "{{define \"t\"}}[{{.}}]{{end}}{{template \"t\" .s}}{{template \"t\" .l}}",
        "{{printf \"%d %s %v %.2f\" .n .s .l .f}}",
        "{{index .l 1}}{{slice .s 1 2}}{{len .m}}{{.kv.Names}}",
        "{{humanize .f}} {{humanizeDuration .n}} {{.s | toUpper | printf \"%q\"}}",
        "{{range query \"up\" | sortByLabel \"job\"}}{{.Labels.job}} {{.Value}}{{end}}",
        "{{- if and .a (or .n .f) -}} x {{- end -}}",
        "{{$x := 1}}{{range .l}}{{if eq . 2}}{{break}}{{end}}{{$x = .}}{{end}}{{$x}}",
    };

    private static Object data() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("a", Map.of("b", "deep"));
        d.put("l", List.of(1L, 2L, 3L));
        d.put("m", Map.of("k1", "v1", "k2", "v2"));
        d.put("n", 42L);
        d.put("s", "héllo");
        d.put("f", 3.25);
        d.put("z", null);
        TemplateLanguageTest.KV kv = new TemplateLanguageTest.KV();
        kv.put("job", "node");
        d.put("kv", kv);
        return d;
    }

    private static final FunctionSet FUNCTIONS = PrometheusFunctions.create(
            (expr, ts) -> List.of(new QuerySample(Map.of("job", "j"), 1), new QuerySample(Map.of("job", "a"), 2)),
            0, URI.create("http://x/"));

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20260101})
    void randomTemplates_onlyEverFailWithTemplateException(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Object data = data();
        int parsed = 0;
        int executed = 0;
        for (int iter = 0; iter < ITERATIONS; iter++) {
            String text = rnd.nextInt(3) == 0 ? mutate(VALID[rnd.nextInt(VALID.length)], rnd) : randomText(rnd);
            for (boolean html : new boolean[] {false, true}) {
                try {
                    Template t = Template.parse("fuzz", text, FUNCTIONS).withHtmlMode(html).withMaxDepth(200);
                    parsed++;
                    t.executeToString(data);
                    executed++;
                } catch (TemplateException expected) {
                    assertThat(expected.getMessage()).as(text).startsWith("template: ");
                } catch (Throwable t) {
                    throw new AssertionError("seed " + seed + " iteration " + iter + ": " + t + " for template:\n" + text, t);
                }
            }
        }
        assertThat(parsed).as("some random templates parse").isGreaterThan(100);
        assertThat(executed).as("some random templates execute").isGreaterThan(50);
    }

    private static String randomText(SplittableRandom rnd) {
        StringBuilder b = new StringBuilder();
        int actions = 1 + rnd.nextInt(6);
        for (int a = 0; a < actions; a++) {
            if (rnd.nextBoolean()) {
                b.append("t ");
            }
            b.append(rnd.nextInt(5) == 0 ? "{{- " : "{{ ");
            int n = 1 + rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                b.append(PIECES[rnd.nextInt(PIECES.length)]).append(rnd.nextInt(4) == 0 ? "" : " ");
            }
            b.append(rnd.nextInt(5) == 0 ? " -}}" : "}}");
        }
        return b.toString();
    }

    private static String mutate(String valid, SplittableRandom rnd) {
        StringBuilder b = new StringBuilder(valid);
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits && !b.isEmpty(); e++) {
            int at = rnd.nextInt(b.length());
            switch (rnd.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, PIECES[rnd.nextInt(PIECES.length)]);
                default -> b.setCharAt(at, (char) (32 + rnd.nextInt(95)));
            }
        }
        return b.toString();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 50, 5000})
    void deepNesting_isBoundedWithTemplateException(int depth) {
        List<String> texts = new ArrayList<>();
        texts.add("{{" + "(".repeat(depth) + "1" + ")".repeat(depth) + "}}");
        texts.add("{{if 1}}".repeat(depth) + "x" + "{{end}}".repeat(depth));
        texts.add("{{define \"r\"}}{{if lt . " + depth + "}}{{template \"r\" (len (printf \"%*s\" (len (slice \"" +
                "x".repeat(1) + "\" 0 1)) \"\"))}}{{end}}{{end}}{{template \"r\" 0}}");
        for (String text : texts) {
            try {
                Template.parse("deep", text, FUNCTIONS).executeToString(data());
            } catch (TemplateException expected) {
                assertThat(expected.getMessage()).contains("depth");
            }
        }
    }
}
