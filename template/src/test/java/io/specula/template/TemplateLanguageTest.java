package io.specula.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TemplateLanguageTest {

    static String run(String text, Object data) throws TemplateException {
        return Template.parse("t", text, FunctionSet.builtins()).executeToString(data);
    }

    static String runZero(String text, Object data) throws TemplateException {
        return Template.parse("t", text, FunctionSet.builtins()).withMissingKey(Template.MissingKey.ZERO)
                .executeToString(data);
    }

    static String error(String text, Object data) {
        try {
            run(text, data);
        } catch (TemplateException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + text);
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void text_copiedVerbatim() throws Exception {
        assertThat(run("hello, world\n", null)).isEqualTo("hello, world\n");
        assertThat(run("", null)).isEmpty();
    }

    @Test
    void action_printsValues() throws Exception {
        assertThat(run("{{.}}", "x")).isEqualTo("x");
        assertThat(run("{{.}}", 42L)).isEqualTo("42");
        assertThat(run("{{.}}", 1.5)).isEqualTo("1.5");
        assertThat(run("{{.}}", 1e21)).isEqualTo("1e+21");
        assertThat(run("{{.}}", 1234567.0)).isEqualTo("1.234567e+06");
        assertThat(run("{{.}}", 100000.0)).isEqualTo("100000");
        assertThat(run("{{.}}", true)).isEqualTo("true");
        assertThat(run("{{.}}", null)).isEqualTo("<nil>");
        assertThat(run("{{.}}", List.of(1L, "a", 2.5))).isEqualTo("[1 a 2.5]");
        assertThat(run("{{.}}", map("b", 2L, "a", 1L))).isEqualTo("map[a:1 b:2]");
        assertThat(run("{{.}}", Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(run("{{.}}", Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void constants_haveGoTypes() throws Exception {
        assertThat(run("{{1}} {{1.0}} {{1e3}} {{0x10}} {{0o17}} {{017}} {{0b101}} {{1_000}} {{'a'}} {{-5}} {{+3}}", null))
                .isEqualTo("1 1 1000 16 15 15 5 1000 97 -5 3");
        assertThat(run("{{\"a\\tb\"}} {{`raw\\n`}} {{true}} {{false}}", null)).isEqualTo("a\tb raw\\n true false");
        assertThat(run("{{printf \"%T %T %T %T\" 1 1.5 \"s\" true}}", null)).isEqualTo("int float64 string bool");
    }

    @Test
    void fields_onMapsAndNested() throws Exception {
        Map<String, Object> data = map("labels", map("instance", "host:9100", "job", "node"), "value", 3.0);
        assertThat(run("{{.labels.instance}} {{ .labels.job }} {{.value}}", data)).isEqualTo("host:9100 node 3");
        assertThat(run("{{$.labels.job}}", data)).isEqualTo("node");
        assertThat(run("{{.missing}}", data)).isEqualTo("<no value>");
        assertThat(run("{{.missing.deeper}}", data)).isEqualTo("<no value>");
        assertThat(run("{{.labels.missing}}", data)).isEqualTo("<no value>");
    }

    @Test
    void missingKey_zeroAndError() throws Exception {
        Map<String, Object> data = map("labels", map("job", "node"), "any", map("n", 1L));
        assertThat(runZero("[{{.labels.missing}}]", data)).isEqualTo("[]");
        assertThat(runZero("[{{.any.missing}}]", data)).isEqualTo("[<no value>]");
        Template t = Template.parse("t", "{{.labels.missing}}", FunctionSet.builtins())
                .withMissingKey(Template.MissingKey.ERROR);
        assertThatThrownBy(() -> t.executeToString(data)).isInstanceOf(TemplateException.class)
                .hasMessage("template: t:1:9: executing \"t\" at <.labels.missing>: map has no entry for key \"missing\"");
    }

    @Test
    void nullMapValue_printsNil() throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("n", null);
        assertThat(run("{{.n}}", data)).isEqualTo("<nil>");
        assertThat(error("{{.n.x}}", data)).endsWith("nil pointer evaluating interface {}.x");
    }

    @Test
    void variables_declareAssignAndScope() throws Exception {
        assertThat(run("{{$x := 1}}{{$x}}{{$x = 2}}{{$x}}", null)).isEqualTo("12");
        assertThat(run("{{$x := \"out\"}}{{if true}}{{$x := \"in\"}}{{$x}}{{end}}{{$x}}", null)).isEqualTo("inout");
        assertThat(run("{{$x := \"out\"}}{{if true}}{{$x = \"in\"}}{{end}}{{$x}}", null)).isEqualTo("in");
        assertThat(run("{{with $x := .}}{{$x}}{{end}}", "v")).isEqualTo("v");
        assertThatThrownBy(() -> run("{{if true}}{{$y := 1}}{{end}}{{$y}}", null))
                .hasMessage("template: t:1: undefined variable \"$y\"");
    }

    @Test
    void if_elseIfElse() throws Exception {
        String t = "{{if eq . 1}}one{{else if eq . 2}}two{{else}}many{{end}}";
        assertThat(run(t, 1L)).isEqualTo("one");
        assertThat(run(t, 2L)).isEqualTo("two");
        assertThat(run(t, 3L)).isEqualTo("many");
    }

    @Test
    void truth_followsGo() throws Exception {
        String t = "{{if .}}T{{else}}F{{end}}";
        assertThat(run(t, 0L)).isEqualTo("F");
        assertThat(run(t, 0.0)).isEqualTo("F");
        assertThat(run(t, "")).isEqualTo("F");
        assertThat(run(t, List.of())).isEqualTo("F");
        assertThat(run(t, Map.of())).isEqualTo("F");
        assertThat(run(t, null)).isEqualTo("F");
        assertThat(run(t, false)).isEqualTo("F");
        assertThat(run(t, 0.1)).isEqualTo("T");
        assertThat(run(t, "x")).isEqualTo("T");
        assertThat(run(t, List.of(0L))).isEqualTo("T");
        assertThat(run("{{if .missing}}T{{else}}F{{end}}", Map.of())).isEqualTo("F");
    }

    @Test
    void with_setsDotAndElseWith() throws Exception {
        assertThat(run("{{with .a}}[{{.}}]{{else}}none{{end}}", map("a", "x"))).isEqualTo("[x]");
        assertThat(run("{{with .a}}[{{.}}]{{else}}none{{end}}", map("a", ""))).isEqualTo("none");
        assertThat(run("{{with .a}}a{{else with .b}}b={{.}}{{else}}none{{end}}", map("a", "", "b", "B"))).isEqualTo("b=B");
    }

    @Test
    void range_overSlicesMapsInts() throws Exception {
        assertThat(run("{{range .}}<{{.}}>{{end}}", List.of("a", "b"))).isEqualTo("<a><b>");
        assertThat(run("{{range $i, $e := .}}{{$i}}={{$e}} {{end}}", List.of("a", "b"))).isEqualTo("0=a 1=b ");
        assertThat(run("{{range $e := .}}{{$e}}{{end}}", List.of("a", "b"))).isEqualTo("ab");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1L);
        m.put("a", 2L);
        m.put("m", 3L);
        assertThat(run("{{range $k, $v := .}}{{$k}}:{{$v}} {{end}}", m)).isEqualTo("a:2 m:3 z:1 ");
        assertThat(run("{{range .}}{{.}}{{end}}", m)).isEqualTo("231");
        Map<Long, String> nums = new TreeMap<>(Map.of(10L, "ten", 2L, "two", 1L, "one"));
        assertThat(run("{{range $k, $v := .}}{{$k}}{{$v}} {{end}}", nums)).isEqualTo("1one 2two 10ten ");
        assertThat(run("{{range 3}}{{.}}{{end}}", null)).isEqualTo("012");
        assertThat(run("{{range .}}x{{else}}empty{{end}}", List.of())).isEqualTo("empty");
        assertThat(run("{{range .}}x{{else}}empty{{end}}", null)).isEqualTo("empty");
        assertThat(run("{{range .}}{{.}}{{end}}", new String[] {"p", "q"})).isEqualTo("pq");
        assertThat(run("{{$x := 0}}{{range $i, $e := .}}{{$x = $i}}{{end}}{{$x}}", List.of("a", "b", "c"))).isEqualTo("2");
    }

    @Test
    void range_breakAndContinue() throws Exception {
        String t = "{{range .}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}";
        assertThat(run(t, List.of(1L, 2L, 3L, 4L, 5L))).isEqualTo("13");
        assertThatThrownBy(() -> run("{{break}}", null)).hasMessage("template: t:1: {{break}} outside {{range}}");
        assertThatThrownBy(() -> run("{{if true}}{{continue}}{{end}}", null))
                .hasMessage("template: t:1: {{continue}} outside {{range}}");
    }

    @Test
    void range_overStringFails() {
        assertThat(error("{{range .}}{{end}}", "abc")).isEqualTo("template: t:1:8: executing \"t\" at <{{range .}}{{end}}>: range can't iterate over abc");
    }

    @Test
    void trimMarkers_eatWhiteSpace() throws Exception {
        assertThat(run("a  {{- \"b\" -}}  \n c", null)).isEqualTo("abc");
        assertThat(run("{{- 3 }}", null)).isEqualTo("3");
        assertThat(run("x {{-3}} y", null)).isEqualTo("x -3 y");
        assertThat(run("a\n\t{{- /* comment */ -}}\n\tb", null)).isEqualTo("ab");
        assertThat(run("a {{/* c */}} b", null)).isEqualTo("a  b");
        assertThat(run("{{range .}}\n  {{- .}}\n{{- end}}", List.of("x", "y"))).isEqualTo("xy");
    }

    @Test
    void comments_mustCloseAtDelimiter() {
        assertThatThrownBy(() -> run("{{/* c */ 1}}", null))
                .hasMessage("template: t:1: comment ends before closing delimiter");
        assertThatThrownBy(() -> run("{{/* c ", null)).hasMessage("template: t:1: unclosed comment");
    }

    @Test
    void defineTemplateAndBlock() throws Exception {
        String t = "{{define \"T1\"}}ONE{{end}}{{define \"T2\"}}TWO {{template \"T1\"}}{{end}}"
                + "{{define \"T3\"}}{{template \"T1\"}} {{template \"T2\"}}{{end}}{{template \"T3\"}}";
        assertThat(run(t, null)).isEqualTo("ONE TWO ONE");
        assertThat(run("{{define \"x\"}}[{{.}}]{{end}}{{template \"x\" .a}}", map("a", 5L))).isEqualTo("[5]");
        assertThat(run("{{define \"x\"}}[{{.}}]{{end}}{{template \"x\"}}", null)).isEqualTo("[<no value>]");
        assertThat(run("{{block \"b\" .}}default {{.}}{{end}}", "d")).isEqualTo("default d");
        assertThat(error("{{template \"nope\"}}", null))
                .isEqualTo("template: t:1:11: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined");
    }

    @Test
    void parseMore_redefinesAndKeepsSet() throws Exception {
        Template base = Template.parse("lib", "{{define \"greet\"}}hi {{.}}{{end}}", FunctionSet.builtins());
        Template t = base.parseMore("main", "{{template \"greet\" .}}!");
        assertThat(t.executeToString("bob")).isEqualTo("hi bob!");
        Template t2 = t.parseMore("override", "{{define \"greet\"}}yo {{.}}{{end}}").lookup("main");
        assertThat(t2.executeToString("bob")).isEqualTo("yo bob!");
        assertThat(base.lookup("greet").executeToString("x")).isEqualTo("hi x");
        assertThat(base.lookup("nope")).isNull();
        StringBuilder sb = new StringBuilder();
        t.executeTemplate("greet", "z", sb);
        assertThat(sb).hasToString("hi z");
        assertThatThrownBy(() -> t.executeTemplate("none", null, new StringBuilder()))
                .hasMessage("template: no template \"none\" associated with template \"main\"");
    }

    @Test
    void multipleDefinitionInOneParse_fails() {
        assertThatThrownBy(() -> run("{{define \"a\"}}1{{end}}{{define \"a\"}}2{{end}}", null))
                .hasMessage("template: t:1: template: multiple definition of template \"a\"");
    }

    @Test
    void templateRecursion_boundedWithClearError() throws Exception {
        Template t = Template.parse("t", "{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" .}}",
                FunctionSet.builtins());
        assertThatThrownBy(() -> t.withMaxDepth(1000).executeToString(null)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("exceeded maximum template depth (1000)");
        // With Go's default limit the Java stack runs out first on a small stack; still a TemplateException.
        assertThatThrownBy(() -> t.executeToString(null)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("exceeded maximum template depth");
        String countdown = "{{define \"c\"}}{{if gt . 0}}{{.}} {{template \"c\" (slice . 1)}}{{end}}{{end}}";
        assertThat(Template.parse("t", "{{define \"d\"}}{{if .}}{{len .}},{{template \"d\" (slice . 1)}}{{end}}{{end}}"
                + "{{template \"d\" .}}", FunctionSet.builtins()).executeToString(List.of(1L, 2L, 3L))).isEqualTo("3,2,1,");
        assertThat(countdown).isNotEmpty();
    }

    @Test
    void pipelines_passValueAsLastArgument() throws Exception {
        assertThat(run("{{\"x\" | printf \"%s-%s\" \"a\"}}", null)).isEqualTo("a-x");
        assertThat(run("{{. | len | printf \"%03d\"}}", "abcd")).isEqualTo("004");
        assertThat(run("{{(printf \"%d\" 5) | len}}", null)).isEqualTo("1");
        assertThat(run("{{(index . 1).name}}", List.of(map("name", "a"), map("name", "b")))).isEqualTo("b");
    }

    @Test
    void andOr_shortCircuitAndReturnOperand() throws Exception {
        assertThat(run("{{and 1 0 \"x\"}}|{{and 1 2}}|{{or 0 \"\" \"z\"}}|{{or 0 \"\"}}", null)).isEqualTo("0|2|z|");
        // The erroring second operand is never evaluated.
        assertThat(run("{{or 1 (index .l 10)}}|{{and 0 (index .l 10)}}", map("l", List.of()))).isEqualTo("1|0");
        assertThat(run("{{not 0}} {{not \"a\"}}", null)).isEqualTo("true false");
        assertThat(run("{{\"v\" | and 1}}", null)).isEqualTo("v");
    }

    @Test
    void comparisons_followGoKinds() throws Exception {
        assertThat(run("{{eq 1 1}} {{eq 1 2 3 1}} {{eq \"a\" \"a\"}} {{ne 1 2}} {{eq 1.5 1.5}}", null))
                .isEqualTo("true true true true true");
        assertThat(run("{{lt 1 2}} {{le 2 2}} {{gt 3 2}} {{ge 1 2}} {{lt \"a\" \"b\"}} {{lt 1.5 2.5}}", null))
                .isEqualTo("true true true false true true");
        assertThat(error("{{lt 1 2.5}}", null)).endsWith("error calling lt: incompatible types for comparison");
        assertThat(error("{{eq 1 \"1\"}}", null)).endsWith("error calling eq: incompatible types for comparison");
        assertThat(error("{{lt true false}}", null)).endsWith("error calling lt: invalid type for comparison");
        assertThat(error("{{eq .l .l}}", map("l", List.of()))).contains("non-comparable type");
        assertThat(run("{{eq .missing nil}} {{eq .missing 1}}", Map.of())).isEqualTo("true false");
        assertThat(run("{{eq .a 1}}", map("a", 1))).isEqualTo("true"); // Integer and Long are both int
        assertThat(run("{{gt .v 100.0}}", map("v", 150.0))).isEqualTo("true");
    }

    @Test
    void indexSliceLen() throws Exception {
        Map<String, Object> data = map("l", List.of("a", "b", "c"), "m", map("k", "v"), "s", "héllo");
        assertThat(run("{{index .l 1}} {{index .m \"k\"}} {{index .s 0}} {{len .l}} {{len .m}} {{len .s}}", data))
                .isEqualTo("b v 104 3 1 6");
        assertThat(run("[{{index .m \"nope\"}}]", data)).isEqualTo("[]");
        assertThat(run("{{slice .l 1}} {{slice .l 1 2}} {{slice .s 0 1}} {{slice .l}}", data)).isEqualTo("[b c] [b] h [a b c]");
        assertThat(error("{{index .l 5}}", data))
                .isEqualTo("template: t:1:2: executing \"t\" at <index .l 5>: error calling index: index out of range: 5");
        assertThat(error("{{slice .l 2 1}}", data)).endsWith("error calling slice: invalid slice index: 2 > 1");
        assertThat(error("{{len 3}}", data)).endsWith("error calling len: len of type int");
        assertThat(run("{{index .nested 0 1}}", map("nested", List.of(List.of("x", "y"))))).isEqualTo("y");
    }

    @Test
    void printFunctions() throws Exception {
        assertThat(run("{{print 1 2 \"a\" \"b\" 3}}", null)).isEqualTo("1 2ab3");
        assertThat(run("{{println 1 \"a\"}}", null)).isEqualTo("1 a\n");
        assertThat(run("{{print nil}}", null)).isEqualTo("<nil>");
    }

    @Test
    void escapingFunctions() throws Exception {
        assertThat(run("{{html \"<a href='x'>&\\\"</a>\"}}", null)).isEqualTo("&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;");
        assertThat(run("{{js \"it's <b> \\\"q\\\" a=b\\n\"}}", null)).isEqualTo("it\\'s \\u003Cb\\u003E \\\"q\\\" a\\u003Db\\u000A");
        assertThat(run("{{urlquery \"a b&c=d/é\"}}", null)).isEqualTo("a+b%26c%3Dd%2F%C3%A9");
        assertThat(run("{{html .missing}}", Map.of())).isEqualTo("&lt;no value&gt;");
    }

    @Test
    void call_invokesFunctionValues() throws Exception {
        TemplateFunction add = a -> (Long) a[0] + (Long) a[1];
        assertThat(run("{{call .add 2 3}}", map("add", add))).isEqualTo("5");
        assertThat(error("{{call .x}}", map("x", 1L))).endsWith("error calling call: non-function .x of type int");
        TemplateFunction boom = a -> {
            throw new IllegalStateException("boom");
        };
        assertThat(error("{{call .f}}", map("f", boom))).endsWith("error calling call: error calling .f: boom");
    }

    @Test
    void methodsAndRecords() throws Exception {
        record Alert(String status, Map<String, String> labels) {
            public boolean isFiring() {
                return status.equals("firing");
            }

            public String Describe(String prefix, long n) {
                return prefix + ":" + labels.get("alertname") + "*" + n;
            }
        }
        Alert a = new Alert("firing", Map.of("alertname", "Down"));
        assertThat(run("{{.Status}} {{.Labels.alertname}} {{.Firing}} {{.Describe \"p\" 3}}", a))
                .isEqualTo("firing Down true p:Down*3");
        assertThat(run("{{\"q\" | .Describe \"p\"}}", new Holder())).isEqualTo("p-q");
        assertThat(error("{{.Nope}}", a)).endsWith("can't evaluate field Nope in type Alert");
        assertThat(error("{{.Describe 1 2}}", a)).endsWith("wrong type for value; expected string; got int");
        assertThat(error("{{.Describe \"x\"}}", a)).endsWith("wrong number of args for Describe: want 2 got 1");
        assertThat(error("{{.Boom}}", new Holder())).endsWith("error calling Boom: kaput");
        assertThat(run("{{.String}}", new Holder())).isEqualTo("holder!");
    }

    public static final class Holder {
        public String describe(String a, String b) {
            return a + "-" + b;
        }

        public String boom() {
            throw new IllegalStateException("kaput");
        }

        @Override
        public String toString() {
            return "holder!";
        }
    }

    /** Go's named map types with methods, like Alertmanager's KV. */
    public static final class KV extends TreeMap<String, String> {
        public List<String> names() {
            return List.copyOf(keySet());
        }

        public List<String> values() {
            return List.copyOf(super.values());
        }

        public KV remove(List<String> keys) {
            KV out = new KV();
            out.putAll(this);
            keys.forEach(out::remove);
            return out;
        }
    }

    @Test
    void mapSubclassMethods_takePrecedenceOverKeys() throws Exception {
        KV kv = new KV();
        kv.put("b", "2");
        kv.put("a", "1");
        kv.put("size", "big");
        assertThat(run("{{.Names}} {{.Values}} {{.a}} {{.size}} {{(.Remove (slice .Names 0 1)).Names}}", kv))
                .isEqualTo("[a b size] [1 2 big] 1 big [b size]");
    }

    @Test
    void parseErrors_areGoShaped() {
        assertThat(parseError("{{.x")).isEqualTo("template: t:1: unclosed action");
        assertThat(parseError("{{if .x}}a")).isEqualTo("template: t:1: unexpected EOF");
        assertThat(parseError("a\n{{end}}")).isEqualTo("template: t:2: unexpected {{end}}");
        assertThat(parseError("{{else}}")).isEqualTo("template: t:1: unexpected {{else}}");
        assertThat(parseError("{{nofunc 1}}")).isEqualTo("template: t:1: function \"nofunc\" not defined");
        assertThat(parseError("{{$x}}")).isEqualTo("template: t:1: undefined variable \"$x\"");
        assertThat(parseError("{{}}")).isEqualTo("template: t:1: missing value for command");
        assertThat(parseError("{{\"abc}}")).isEqualTo("template: t:1: unterminated quoted string");
        assertThat(parseError("{{3x}}")).isEqualTo("template: t:1: bad number syntax: \"3x\"");
        assertThat(parseError("{{(1}}")).isEqualTo("template: t:1: unclosed left paren");
        assertThat(parseError("{{1)}}")).isEqualTo("template: t:1: unexpected \")\" in command");
        assertThat(parseError("{{. | 1}}")).isEqualTo("template: t:1: non executable command in pipeline stage 2");
        assertThat(parseError("{{range $a, $b, $c := .}}{{end}}")).isEqualTo("template: t:1: too many declarations in range");
        assertThat(parseError("{{with $a, $b := .}}{{end}}")).isEqualTo("template: t:1: too many declarations in with");
        assertThat(parseError("{{template .x}}")).isEqualTo("template: t:1: unexpected \".x\" in template clause");
        assertThat(parseError("{{if}}{{end}}")).isEqualTo("template: t:1: missing value for if");
        assertThat(parseError("{{.x @}}")).isEqualTo("template: t:1: unexpected \"@\" in operand");
        assertThat(parseError("{{€}}")).isEqualTo("template: t:1: unrecognized character in action: U+20AC '€'");
        assertThat(parseError("{{\"a\".x}}")).isEqualTo("template: t:1: unexpected . after term \"\\\"a\\\"\"");
        assertThat(parseError("{{range .}}{{else if .}}{{end}}")).isEqualTo("template: t:1: unexpected <if> in input");
        assertThat(parseError("\n\n{{if .}}\n{{else}}\n{{else}}{{end}}")).isEqualTo("template: t:5: expected end; found {{else}}");
    }

    private static String parseError(String text) {
        try {
            Template.parse("t", text, FunctionSet.builtins());
        } catch (TemplateException e) {
            return e.getMessage();
        }
        throw new AssertionError("parsed: " + text);
    }

    @Test
    void execErrors_namePositionAndNode() {
        assertThat(error("{{.x.y}}", map("x", "str")))
                .isEqualTo("template: t:1:4: executing \"t\" at <.x.y>: can't evaluate field y in type string");
    }

    @Test
    void execErrors_insideDefinitionsNameTheFileAndTemplate() throws Exception {
        Template t = Template.parse("alerts.tmpl", "{{ define \"a\" }}\n  ok {{ .x.y }}\n{{ end }}", FunctionSet.builtins());
        assertThatThrownBy(() -> t.parseMore("main", "{{ template \"a\" . }}").executeToString(map("x", 1L)))
                .hasMessage("template: alerts.tmpl:2:10: executing \"a\" at <.x.y>: can't evaluate field y in type int");
    }

    @Test
    void execErrors_columnsAreBytesOnTheLine() {
        TemplateException e = catchExec("ab\ncdé {{index .l 3}}", map("l", List.of()));
        assertThat(e.getMessage())
                .isEqualTo("template: t:2:7: executing \"t\" at <index .l 3>: error calling index: index out of range: 3");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(7);
    }

    @Test
    void execErrors_argumentsAndFunctions() {
        assertThat(error("{{1 2}}", null)).endsWith("can't give argument to non-function 1");
        assertThat(error("{{nil}}", null)).endsWith("nil is not a command");
        assertThat(error("{{len}}", null)).endsWith("wrong number of args for len: want 1 got 0");
        assertThat(error("{{printf}}", null)).endsWith("wrong number of args for printf: want at least 1 got 0");
        assertThat(error("{{printf 1}}", null)).endsWith("at <1>: expected string; found 1");
        assertThat(error("{{printf .}}", 1L)).endsWith("at <.>: wrong type for value; expected string; got int");
        assertThat(error("{{.a 1}}", map("a", "x"))).endsWith("a is not a method but has arguments");
    }

    private static TemplateException catchExec(String text, Object data) {
        try {
            run(text, data);
        } catch (TemplateException e) {
            return e;
        }
        throw new AssertionError("no error");
    }

    @Test
    void multilineActions_andLinesInErrors() throws Exception {
        assertThat(run("{{ printf \"%s-%s\"\n  \"a\"\n  \"b\" }}", null)).isEqualTo("a-b");
    }

    @Test
    void htmlMode_escapesActionOutputButNotSafeHtml() throws Exception {
        FunctionSet fs = FunctionSet.builtins().with("safe", 1, a -> new SafeHtml((String) a[0]));
        Template t = Template.parse("t", "<p>{{.}}</p>{{safe \"<b>ok</b>\"}}[{{.missing}}]", fs).withHtmlMode(true);
        assertThat(t.executeToString(map("x", 1L))).isEqualTo("<p>map[x:1]</p><b>ok</b>[]");
        Template t2 = Template.parse("t", "<p>{{.}}</p>", fs).withHtmlMode(true);
        assertThat(t2.executeToString("<script>a&b 'c' \"d\" +1</script>"))
                .isEqualTo("<p>&lt;script&gt;a&amp;b &#39;c&#39; &#34;d&#34; &#43;1&lt;/script&gt;</p>");
        assertThat(Template.parse("t", "{{.}}", fs).executeToString("<b>")).isEqualTo("<b>");
    }

    @Test
    void execution_isThreadSafe() throws Exception {
        Template t = Template.parse("t", "{{range $i, $e := .}}{{$i}}{{$e}}{{end}}", FunctionSet.builtins());
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger bad = new java.util.concurrent.atomic.AtomicInteger();
        for (int k = 0; k < 4; k++) {
            final List<String> data = List.of("a" + k, "b" + k);
            Thread th = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    try {
                        String want = "0" + data.get(0) + "1" + data.get(1);
                        if (!t.executeToString(data).equals(want)) {
                            bad.incrementAndGet();
                        }
                    } catch (TemplateException e) {
                        bad.incrementAndGet();
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(bad).hasValue(0);
    }
}
