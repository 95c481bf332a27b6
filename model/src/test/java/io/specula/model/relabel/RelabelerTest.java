package io.specula.model.relabel;

import static io.specula.model.relabel.TestRules.cfg;
import static io.specula.model.relabel.TestRules.legacyRule;
import static io.specula.model.relabel.TestRules.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RelabelerTest {

    private static Labels l(String... kv) {
        return Labels.of(kv);
    }

    /** A table row: input, rules, and the expected labels, or null when the set must be dropped. */
    private static Arguments row(String name, Labels input, Labels expected, RelabelConfig... rules) {
        return Arguments.of(Named.of(name, input), List.of(rules), expected);
    }

    static Stream<Arguments> replaceCases() {
        return Stream.of(
                row("group reference", l("host", "web-01.prod"), l("host", "web-01.prod", "env", "prod"),
                        rule("source_labels", "host", "regex", "([^.]+)\\.(.*)", "target_label", "env",
                                "replacement", "$2")),
                row("several sources joined with the default separator", l("a", "x", "b", "y"),
                        l("a", "x", "b", "y", "swapped", "y;x"),
                        rule("source_labels", "a,b", "regex", "(.*);(.*)", "target_label", "swapped",
                                "replacement", "$2;$1")),
                row("custom separator, missing source in the middle", l("a", "x", "b", "y"),
                        l("a", "x", "b", "y", "joined", "x//y"),
                        rule("source_labels", "a,missing,b", "separator", "/", "target_label", "joined")),
                row("empty separator", l("a", "x", "b", "y"), l("a", "x", "b", "y", "joined", "xy"),
                        rule("source_labels", "a,b", "separator", "", "target_label", "joined")),
                row("missing source is the empty string", l("a", "1"), l("a", "1", "present", "was-empty"),
                        rule("source_labels", "missing", "regex", "", "target_label", "present",
                                "replacement", "was-empty")),
                row("no match changes nothing", l("a", "foo"), l("a", "foo"),
                        rule("source_labels", "a", "regex", "bar", "target_label", "t", "replacement", "x")),
                row("regex is anchored", l("a", "foo"), l("a", "foo"),
                        rule("source_labels", "a", "regex", "oo", "target_label", "t", "replacement", "x")),
                row("named groups", l("email", "ann@example.org"),
                        l("email", "ann@example.org", "domain", "example.org", "user", "ann"),
                        rule("source_labels", "email", "regex", "(?P<user>[^@]+)@(?P<domain>.+)",
                                "target_label", "domain", "replacement", "${domain}"),
                        rule("source_labels", "email", "regex", "(?P<user>[^@]+)@(?P<domain>.+)",
                                "target_label", "user", "replacement", "$user")),
                row("$1x is the group named 1x, so the target is deleted", l("a", "foo", "t", "old"), l("a", "foo"),
                        rule("source_labels", "a", "regex", "f(o)o", "target_label", "t", "replacement", "$1x")),
                row("${1}x is group 1 then x", l("a", "foo"), l("a", "foo", "t", "ox"),
                        rule("source_labels", "a", "regex", "f(o)o", "target_label", "t", "replacement", "${1}x")),
                row("$$ is a dollar", l("a", "5"), l("a", "5", "price", "$5"),
                        rule("source_labels", "a", "target_label", "price", "replacement", "$$$1")),
                row("target label from groups", l("kv", "color=blue"), l("kv", "color=blue", "color", "blue"),
                        rule("source_labels", "kv", "regex", "(\\w+)=(\\w+)", "target_label", "${1}",
                                "replacement", "$2")),
                row("expanded target invalid for legacy names: skipped", l("kv", "9lives=cat"), l("kv", "9lives=cat"),
                        legacyRule("source_labels", "kv", "regex", "(\\w+)=(\\w+)", "target_label", "${1}",
                                "replacement", "$2")),
                row("expanded target valid for UTF-8 names", l("kv", "9lives=cat"),
                        l("kv", "9lives=cat", "9lives", "cat"),
                        rule("source_labels", "kv", "regex", "(\\w+)=(\\w+)", "target_label", "${1}",
                                "replacement", "$2")),
                row("expanded target empty: skipped", l("a", "abc", "b", "keep"), l("a", "abc", "b", "keep"),
                        rule("source_labels", "a", "regex", "(x)?(.*)", "target_label", "${1}", "replacement", "")),
                row("expanded target with dots under legacy names: skipped", l("a", "x.y"), l("a", "x.y"),
                        legacyRule("source_labels", "a", "target_label", "p_$1")),
                row("empty replacement deletes the target", l("a", "1", "b", "2"), l("a", "1"),
                        rule("target_label", "b", "replacement", "")),
                row("static value", l("a", "1"), l("a", "1", "env", "prod"),
                        rule("target_label", "env", "replacement", "prod")),
                row("copy a label", l("a", "1"), l("a", "1", "copy", "1"),
                        rule("source_labels", "a", "target_label", "copy")),
                row("copying a missing label deletes the target", l("a", "1", "b", "2"), l("a", "1"),
                        rule("source_labels", "missing", "target_label", "b")),
                row("dot matches a newline", l("a", "x\ny"), l("a", "x\ny", "z", "m"),
                        rule("source_labels", "a", "regex", "x.y", "target_label", "z", "replacement", "m")),
                row("rename the metric", l("__name__", "http_requests_total", "job", "api"),
                        l("__name__", "http_requests_count", "job", "api"),
                        rule("source_labels", "__name__", "regex", "(.*)_total", "target_label", "__name__",
                                "replacement", "${1}_count")),
                row("overwrite with the same value", l("a", "1"), l("a", "1"),
                        rule("source_labels", "a", "target_label", "a")));
    }

    static Stream<Arguments> filterCases() {
        return Stream.of(
                row("keep: match", l("job", "api"), l("job", "api"),
                        rule("action", "keep", "source_labels", "job", "regex", "api|web")),
                row("keep: no match drops", l("job", "db"), null,
                        rule("action", "keep", "source_labels", "job", "regex", "api|web")),
                row("keep: anchored", l("job", "api2"), null,
                        rule("action", "keep", "source_labels", "job", "regex", "api")),
                row("keep: missing label matches the empty regex", l("a", "1"), l("a", "1"),
                        rule("action", "keep", "source_labels", "missing", "regex", "")),
                row("keep: several sources", l("a", "x", "b", "y"), l("a", "x", "b", "y"),
                        rule("action", "keep", "source_labels", "a,b", "regex", "x;y")),
                row("keep: no sources means the empty string", l("a", "x"), null,
                        rule("action", "keep", "regex", ".+")),
                row("drop: match drops", l("__name__", "go_goroutines"), null,
                        rule("action", "drop", "source_labels", "__name__", "regex", "go_.*|process_.*")),
                row("drop: no match", l("__name__", "up"), l("__name__", "up"),
                        rule("action", "drop", "source_labels", "__name__", "regex", "go_.*|process_.*")),
                row("drop: missing label and non-empty regex", l("a", "1"), l("a", "1"),
                        rule("action", "drop", "source_labels", "missing", "regex", ".+")),
                row("drop stops later rules", l("a", "1"), null,
                        rule("action", "drop", "source_labels", "a", "regex", "1"),
                        rule("target_label", "never", "replacement", "set")),
                row("keepequal: equal", l("port", "80", "__tmp_port", "80"), l("port", "80", "__tmp_port", "80"),
                        rule("action", "keepequal", "source_labels", "__tmp_port", "target_label", "port")),
                row("keepequal: different drops", l("port", "80", "__tmp_port", "81"), null,
                        rule("action", "keepequal", "source_labels", "__tmp_port", "target_label", "port")),
                row("keepequal: both missing are equal", l("a", "1"), l("a", "1"),
                        rule("action", "keepequal", "source_labels", "missing", "target_label", "absent")),
                row("keepequal: missing source, present target drops", l("port", "80"), null,
                        rule("action", "keepequal", "source_labels", "missing", "target_label", "port")),
                row("dropequal: equal drops", l("a", "x", "b", "y", "ab", "x;y"), null,
                        rule("action", "dropequal", "source_labels", "a,b", "target_label", "ab")),
                row("dropequal: different", l("port", "80", "__tmp_port", "81"), l("port", "80", "__tmp_port", "81"),
                        rule("action", "dropequal", "source_labels", "__tmp_port", "target_label", "port")),
                row("dropequal: both missing drops", l("a", "1"), null,
                        rule("action", "dropequal", "source_labels", "missing", "target_label", "absent")));
    }

    static Stream<Arguments> labelCases() {
        return Stream.of(
                row("labelmap with a group",
                        l("__meta_kubernetes_pod_label_app", "web", "__meta_kubernetes_pod_label_tier", "fe", "x", "1"),
                        l("__meta_kubernetes_pod_label_app", "web", "__meta_kubernetes_pod_label_tier", "fe", "x", "1",
                                "app", "web", "tier", "fe"),
                        rule("action", "labelmap", "regex", "__meta_kubernetes_pod_label_(.+)")),
                row("labelmap with a prefix", l("__meta_a", "1", "b", "2"), l("__meta_a", "1", "b", "2", "meta_a", "1"),
                        rule("action", "labelmap", "regex", "__meta_(.*)", "replacement", "meta_$1")),
                row("labelmap overwrites an existing label", l("__meta_job", "sd", "job", "static"),
                        l("__meta_job", "sd", "job", "sd"),
                        rule("action", "labelmap", "regex", "__meta_(.*)")),
                row("labelmap does not visit labels it creates", l("a", "1"), l("a", "1", "a_c", "1"),
                        rule("action", "labelmap", "regex", "(.*)", "replacement", "${1}_c")),
                row("labelmap collision: last in sorted order wins", l("a_x", "1", "b_x", "2"),
                        l("a_x", "1", "b_x", "2", "x", "2"),
                        rule("action", "labelmap", "regex", "(a|b)_x", "replacement", "x")),
                row("labelmap collision: labels set by rules come last", l("a_x", "1", "b_x", "2"),
                        l("a_x", "3", "b_x", "2", "x", "3"),
                        rule("target_label", "a_x", "replacement", "3"),
                        rule("action", "labelmap", "regex", "(a|b)_x", "replacement", "x")),
                // "a" is visited first and sets "ab" to 1; "ab" is still visited with its old value 2.
                row("labelmap reads values from before the rule", l("a", "1", "ab", "2"),
                        l("a", "1", "ab", "1", "abb", "2"),
                        rule("action", "labelmap", "regex", "a(b?)", "replacement", "ab$1")),
                row("labelmap replacement without groups", l("x_1", "a", "y", "b"), l("x_1", "a", "y", "b", "z", "a"),
                        rule("action", "labelmap", "regex", "x_.*", "replacement", "z")),
                row("labeldrop", l("__meta_a", "1", "__meta_b", "2", "job", "j"), l("job", "j"),
                        rule("action", "labeldrop", "regex", "__meta_.*")),
                row("labeldrop __name__", l("__name__", "up", "job", "j"), l("job", "j"),
                        rule("action", "labeldrop", "regex", "__name__")),
                row("labeldrop is anchored", l("job", "j", "jobs", "k"), l("jobs", "k"),
                        rule("action", "labeldrop", "regex", "job")),
                row("labeldrop nothing", l("a", "1"), l("a", "1"),
                        rule("action", "labeldrop", "regex", "b")),
                row("labelkeep", l("__name__", "up", "job", "j", "instance", "i", "env", "e"),
                        l("__name__", "up", "job", "j"),
                        rule("action", "labelkeep", "regex", "__name__|job")),
                row("labelkeep drops __name__ when not kept", l("__name__", "up", "job", "j"), l("job", "j"),
                        rule("action", "labelkeep", "regex", "job")),
                row("labelkeep everything", l("a", "1", "b", "2"), l("a", "1", "b", "2"),
                        rule("action", "labelkeep", "regex", ".*")),
                row("lowercase and uppercase, ASCII", l("foo", "bAr123Baz"),
                        l("foo", "bAr123Baz", "lower", "bar123baz", "upper", "BAR123BAZ"),
                        rule("action", "lowercase", "source_labels", "foo", "target_label", "lower"),
                        rule("action", "uppercase", "source_labels", "foo", "target_label", "upper")),
                // Expected values are what Prometheus (Go's simple case mapping) produced for this input.
                row("lowercase and uppercase, non-ASCII", l("s", "ΟΔΟΣ straße İ ǅ \u212A"),
                        l("s", "ΟΔΟΣ straße İ ǅ \u212A", "lower", "οδοσ straße i ǆ k", "upper", "ΟΔΟΣ STRAßE İ Ǆ \u212A"),
                        rule("action", "lowercase", "source_labels", "s", "target_label", "lower"),
                        rule("action", "uppercase", "source_labels", "s", "target_label", "upper")),
                row("lowercase of a missing label deletes the target", l("a", "X", "t", "old"), l("a", "X"),
                        rule("action", "lowercase", "source_labels", "missing", "target_label", "t")),
                row("uppercase joins sources", l("a", "x", "b", "y"), l("a", "x", "b", "y", "t", "X-Y"),
                        rule("action", "uppercase", "source_labels", "a,b", "separator", "-", "target_label", "t")),
                row("sharding pipeline", l("__address__", "10.0.0.1:9100", "job", "node"),
                        l("__address__", "10.0.0.1:9100", "job", "node"),
                        rule("action", "hashmod", "source_labels", "__address__", "target_label", "__tmp_hash",
                                "modulus", "1000"),
                        rule("action", "keep", "source_labels", "__tmp_hash", "regex", "645"),
                        rule("action", "labeldrop", "regex", "__tmp_.*")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"replaceCases", "filterCases", "labelCases"})
    void process_table(Labels input, List<RelabelConfig> rules, Labels expected) {
        Relabeler r = new Relabeler();
        assertThat(r.process(input, rules)).isEqualTo(expected);
        // The builder form must agree and report drops the same way.
        LabelsBuilder lb = input.toBuilder();
        boolean keep = r.process(lb, rules);
        assertThat(keep).isEqualTo(expected != null);
        if (keep) {
            assertThat(lb.build()).isEqualTo(expected);
        }
    }

    @Test
    void process_unchanged_returnsSameInstance() {
        Labels in = l("__name__", "up", "job", "api");
        List<RelabelConfig> rules = List.of(
                rule("action", "keep", "source_labels", "__name__", "regex", "up"),
                rule("source_labels", "job", "target_label", "job"),
                rule("action", "labeldrop", "regex", "__meta_.*"));
        assertThat(new Relabeler().process(in, rules)).isSameAs(in);
    }

    @Test
    void process_noRules_keeps() {
        Labels in = l("a", "1");
        assertThat(new Relabeler().process(in, List.of())).isSameAs(in);
        assertThat(new Relabeler().process(in.toBuilder(), List.of())).isTrue();
    }

    @Test
    void process_builder_worksInPlace() {
        LabelsBuilder lb = l("a", "1", "b", "2").toBuilder();
        boolean keep = new Relabeler().process(lb, List.of(
                rule("target_label", "c", "replacement", "3"),
                rule("action", "labeldrop", "regex", "a")));
        assertThat(keep).isTrue();
        assertThat(lb.get("a")).isEmpty();
        assertThat(lb.get("c")).isEqualTo("3");
        assertThat(lb.build()).isEqualTo(l("b", "2", "c", "3"));
    }

    @Test
    void process_builderNotSorted_labelmapVisitsInitialLabelsSorted() {
        LabelsBuilder lb = new LabelsBuilder().add("b_x", "2").add("a_x", "1");
        new Relabeler().process(lb, List.of(rule("action", "labelmap", "regex", "(a|b)_x", "replacement", "x")));
        assertThat(lb.get("x")).isEqualTo("2"); // b_x sorts last, so it wins
    }

    @Test
    void process_builderEmptyValues_areAbsent() {
        LabelsBuilder lb = new LabelsBuilder().add("a", "").add("b", "1");
        boolean keep = new Relabeler().process(lb, List.of(
                rule("action", "labelmap", "regex", "(.*)", "replacement", "copy_$1"),
                rule("action", "keep", "source_labels", "a", "regex", "")));
        assertThat(keep).isTrue();
        assertThat(lb.build()).isEqualTo(l("b", "1", "copy_b", "1"));
    }

    @Test
    void process_relabelerReused_noStateLeaks() {
        Relabeler r = new Relabeler();
        List<RelabelConfig> map = List.of(rule("action", "labelmap", "regex", "m_(.*)"));
        assertThat(r.process(l("m_a", "1", "m_b", "2", "m_c", "3"), map))
                .isEqualTo(l("m_a", "1", "m_b", "2", "m_c", "3", "a", "1", "b", "2", "c", "3"));
        assertThat(r.process(l("m_z", "9"), map)).isEqualTo(l("m_z", "9", "z", "9"));
        assertThat(r.process(l("x", "1"), List.of(rule("action", "drop", "source_labels", "x", "regex", "1")))).isNull();
        Labels kept = l("y", "1");
        assertThat(r.process(kept, List.of(rule("action", "drop", "source_labels", "x", "regex", "1")))).isSameAs(kept);
    }

    @Test
    void process_manyLabels_growsScratch() {
        LabelsBuilder b = new LabelsBuilder();
        LabelsBuilder expected = new LabelsBuilder();
        for (int i = 0; i < 40; i++) {
            b.set("__meta_l" + i, "v" + i);
            expected.set("__meta_l" + i, "v" + i).set("l" + i, "v" + i);
        }
        assertThat(new Relabeler().process(b.build(), List.of(rule("action", "labelmap", "regex", "__meta_(.*)"))))
                .isEqualTo(expected.build());
    }

    @Test
    void process_unvalidatedRule_throws() {
        RelabelConfig notValidated = cfg("target_label", "x");
        assertThatThrownBy(() -> new Relabeler().process(l("a", "1"), List.of(notValidated)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("validate()");
    }
}
