package io.specula.model.relabel;

import static io.specula.model.relabel.TestRules.cfg;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.LabelNames;
import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test against the real Prometheus: each job below is written to a Prometheus
 * configuration with static targets, {@code promtool check service-discovery} prints every
 * target's labels before and after target relabeling, and {@link Relabeler} must turn the
 * former into the latter.
 *
 * <p>The machine's promtool is Prometheus 2.42 (Debian's package). The cases stay where 2.42
 * and 3.x agree: rules are validated for legacy names (2.x's only scheme), no value contains a
 * newline (2.x's {@code .} does not match one), and no two labels collide in a labelmap after a
 * rule has set one of them (2.x visited labels sorted, 3.x in builder order).
 *
 * <p>Skipped, with a message, when promtool is not on the PATH.
 */
class RelabelerPromtoolInteropTest {
    private static Path promtool;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPromtool() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "promtool");
            if (Files.isExecutable(p)) {
                promtool = p;
                return;
            }
        }
        Assumptions.abort("promtool not found on PATH (" + path
                + "); install Debian's 'prometheus' package to compare relabeling with the real Prometheus");
    }

    private record Job(String name, List<Map<String, String>> targets, List<RelabelConfig> rules) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Map<String, String> target(String address, String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("__address__", address);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> jobs() {
        return Stream.of(
                Arguments.of(new Job("replace",
                        List.of(target("h1:9100", "a", "foo", "b", "bar", "c", "1abc", "kv", "color=blue"),
                                target("h2:9100", "a", "fxo", "kv", "9lives=cat", "email", "ann@example.org"),
                                target("h3:9100")),
                        List.of(cfg("source_labels", "a", "regex", "f(o)(o)", "target_label", "t1", "replacement", "$1x"),
                                cfg("source_labels", "a", "regex", "f(.)(o)", "target_label", "t2", "replacement", "${1}x"),
                                cfg("source_labels", "a", "regex", "f(.)o", "target_label", "t3", "replacement", "$$1 $$$1"),
                                cfg("source_labels", "a", "regex", "f(.)o", "target_label", "t4",
                                        "replacement", "x$ ${ ${} ${1 $-"),
                                cfg("source_labels", "a", "regex", "f(.)o", "target_label", "t5", "replacement", "<$9|$0|$01>"),
                                cfg("source_labels", "email", "regex", "(?P<user>[^@]+)@(?P<domain>.+)",
                                        "target_label", "domain", "replacement", "$domain/${user}/$user_x"),
                                cfg("source_labels", "a", "regex", "f(x)?(.)o", "target_label", "t6", "replacement", "[$1][$2]"),
                                cfg("source_labels", "kv", "regex", "(\\w+)=(\\w+)", "target_label", "${1}",
                                        "replacement", "$2"),
                                cfg("source_labels", "a", "regex", "(.)(.)(.)", "target_label", "n_${3}_$2", "replacement", "v"),
                                cfg("source_labels", "a,missing,b", "separator", "/", "target_label", "joined"),
                                cfg("source_labels", "a,b", "separator", "", "regex", "(.*)bar", "target_label", "t7"),
                                cfg("source_labels", "a", "regex", "oo", "target_label", "t8", "replacement", "anchored?"),
                                cfg("source_labels", "missing", "target_label", "b"),
                                cfg("target_label", "c", "replacement", ""),
                                cfg("target_label", "static", "replacement", "value")))),
                Arguments.of(new Job("filter",
                        List.of(target("h1:9100", "a", "x", "b", "keep1", "p", "80", "q", "80"),
                                target("h2:9100", "a", "drop-me", "b", "keep1"),
                                target("h3:9100", "a", "x", "b", "nope"),
                                target("h4:9100", "a", "x", "b", "k", "p", "80", "q", "81"),
                                target("h5:9100", "a", "x", "b", "k"),
                                target("h6:9100", "a", "x", "b", "k", "ab", "x;k")),
                        List.of(cfg("action", "drop", "source_labels", "a", "regex", "drop-me|also-drop"),
                                cfg("action", "keep", "source_labels", "b", "regex", "k.*"),
                                cfg("action", "keepequal", "source_labels", "p", "target_label", "q"),
                                cfg("action", "dropequal", "source_labels", "a,b", "target_label", "ab"),
                                cfg("action", "drop", "source_labels", "missing", "regex", ".+"),
                                cfg("action", "keep", "source_labels", "missing", "regex", "")))),
                Arguments.of(new Job("labels",
                        List.of(target("h1:9100", "__meta_app", "web", "__meta_tier", "fe", "tmp_x", "1", "keep_me", "y",
                                        "other", "z"),
                                target("h2:9100", "__meta_job", "from-sd", "ab", "2", "a", "1")),
                        List.of(cfg("action", "labelmap", "regex", "__meta_(.+)"),
                                cfg("action", "labelmap", "regex", "a(b?)", "replacement", "ab$1"),
                                cfg("action", "labelmap", "regex", "(app|tier)", "replacement", "copy_${1}_$1"),
                                cfg("action", "labeldrop", "regex", "tmp_.*"),
                                cfg("action", "labeldrop", "regex", "othe"),
                                cfg("action", "labelkeep", "regex", "__.*|job|app|tier|copy_.*|keep_.*|a|ab|abb|other")))),
                Arguments.of(new Job("hashmod_and_case",
                        List.of(target("10.0.0.1:9100", "a", "ΟΔΟΣ straße İ ǅ \u212A", "b", "Mixed"),
                                target("10.0.0.2:9100", "a", "ÀÉÎõü", "b", ""),
                                target("node-7.example.org:9100", "b", "x")),
                        List.of(cfg("action", "hashmod", "source_labels", "__address__", "target_label", "h1000",
                                        "modulus", "1000"),
                                cfg("action", "hashmod", "source_labels", "a,b", "separator", "", "target_label", "hbig",
                                        "modulus", "18446744073709551615"),
                                cfg("action", "hashmod", "source_labels", "missing", "target_label", "hempty",
                                        "modulus", "9223372036854775809"),
                                cfg("action", "lowercase", "source_labels", "a,b", "target_label", "lower"),
                                cfg("action", "uppercase", "source_labels", "a,b", "separator", "-", "target_label", "upper"),
                                cfg("action", "lowercase", "source_labels", "missing", "target_label", "b")))),
                Arguments.of(new Job("expanded_targets",
                        List.of(target("h1:9100", "kv", "9lives=cat", "d", "x.y"),
                                target("h2:9100", "kv", "ok_name=dog", "d", "xy")),
                        List.of(cfg("source_labels", "kv", "regex", "(\\w+)=(\\w+)", "target_label", "${1}",
                                        "replacement", "$2"),
                                cfg("source_labels", "d", "target_label", "p_$1", "replacement", "set"),
                                cfg("source_labels", "d", "regex", "(z)?(.*)", "target_label", "$1", "replacement", "never")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void process_agreesWithPrometheus(Job job) throws Exception {
        for (RelabelConfig c : job.rules()) {
            c.validate(NameValidation.LEGACY);
        }
        List<Object> results = runPromtool(job);
        assertThat(results).as("one result per target").hasSize(job.targets().size());
        Relabeler relabeler = new Relabeler();
        for (Object o : results) {
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) o;
            Labels discovered = input(job, toLabels(result.get("discoveredLabels")));
            Labels prometheus = toLabels(result.get("labels"));
            Labels ours = relabeler.process(discovered, job.rules());
            if (prometheus.isEmpty()) {
                assertThat(ours).as("Prometheus dropped %s", discovered).isNull();
            } else {
                assertThat(ours).as("relabeled %s", discovered).isNotNull();
                assertThat(asTargetLabels(ours)).as("relabeled %s", discovered).isEqualTo(prometheus);
            }
        }
    }

    /**
     * The labels relabeling started from: the target's own plus the scrape defaults Prometheus
     * added. Only the defaults are taken from promtool's "discoveredLabels": Prometheus 2.42's
     * relabeling overwrites the printed copy in place, so the rest of it is not the input.
     */
    private static Labels input(Job job, Labels printed) {
        String address = printed.get("__address__");
        Map<String, String> target = job.targets().stream()
                .filter(t -> t.get("__address__").equals(address))
                .findFirst()
                .orElseThrow(() -> new AssertionError("promtool printed an unknown target " + printed));
        LabelsBuilder b = new LabelsBuilder();
        target.forEach(b::set);
        for (String name : List.of("job", "__scheme__", "__metrics_path__", "__scrape_interval__", "__scrape_timeout__")) {
            b.set(name, printed.get(name));
        }
        return b.build();
    }

    /** What Prometheus does to a target's labels after relabeling: no __meta_ labels, instance defaulted. */
    private static Labels asTargetLabels(Labels relabeled) {
        LabelsBuilder b = relabeled.toBuilder();
        b.retain(name -> !name.startsWith("__meta_"));
        if (b.get("instance").isEmpty()) {
            b.set("instance", b.get("__address__"));
        }
        return b.build();
    }

    private List<Object> runPromtool(Job job) throws IOException, InterruptedException {
        Path config = dir.resolve(job.name() + ".yml");
        Files.writeString(config, yaml(job), StandardCharsets.UTF_8);
        Path out = dir.resolve(job.name() + ".json");
        Path err = dir.resolve(job.name() + ".err");
        // Static discovery answers at once; the timeout is how long promtool waits (busily) for more.
        Process p = new ProcessBuilder(promtool.toString(), "check", "service-discovery", "--timeout=500ms",
                config.toString(), job.name())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool did not finish within 60 s");
        }
        String json = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue())
                .as("promtool failed for %s: %s%s", config, Files.readString(err), json)
                .isZero();
        Object parsed = new Json(json).parse();
        assertThat(parsed).as("promtool output %s", json).isInstanceOf(List.class);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) parsed;
        return list;
    }

    private static String yaml(Job job) {
        StringBuilder y = new StringBuilder("scrape_configs:\n  - job_name: ").append(q(job.name())).append('\n');
        y.append("    static_configs:\n");
        for (Map<String, String> t : job.targets()) {
            y.append("      - targets: [").append(q(t.get("__address__"))).append("]\n        labels: {");
            String sep = "";
            for (Map.Entry<String, String> e : t.entrySet()) {
                if (!e.getKey().equals("__address__")) {
                    y.append(sep).append(q(e.getKey())).append(": ").append(q(e.getValue()));
                    sep = ", ";
                }
            }
            y.append("}\n");
        }
        y.append("    relabel_configs:\n");
        for (RelabelConfig c : job.rules()) {
            y.append("      - {action: ").append(q(c.getAction()));
            if (c.getSourceLabels() != null) {
                y.append(", source_labels: [");
                for (int i = 0; i < c.getSourceLabels().size(); i++) {
                    y.append(i > 0 ? ", " : "").append(q(c.getSourceLabels().get(i)));
                }
                y.append(']');
            }
            y.append(", separator: ").append(q(c.getSeparator()));
            if (!c.getRegex().equals(Regex.DEFAULT_TEXT)) {
                y.append(", regex: ").append(q(c.getRegex()));
            }
            if (c.getModulus() != 0) {
                y.append(", modulus: ").append(Long.toUnsignedString(c.getModulus()));
            }
            if (!c.getTargetLabel().isEmpty()) {
                y.append(", target_label: ").append(q(c.getTargetLabel()));
            }
            y.append(", replacement: ").append(q(c.getReplacement())).append("}\n");
        }
        return y.toString();
    }

    /** A YAML double-quoted scalar (Go's quoting uses only escapes YAML has too). */
    private static String q(String s) {
        return LabelNames.appendQuoted(new StringBuilder(), s).toString();
    }

    private static Labels toLabels(Object o) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        LabelsBuilder b = new LabelsBuilder();
        m.forEach((k, v) -> b.set(k, (String) v));
        return b.build();
    }

    /** Just enough JSON for promtool's output: objects, arrays, strings, literals. */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object parse() {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw new IllegalArgumentException("trailing data at " + i);
            }
            return v;
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    m.put(k, value());
                    ws();
                    if (s.charAt(i++) == '}') {
                        return m;
                    }
                }
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i++) == ']') {
                        return l;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            int start = i;
            while (i < s.length() && ",]} \n\t\r".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return s.substring(start, i);
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(e); // \" \\ \/
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i);
            }
            i++;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
