package io.specula.rules.rulefmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.promql.parser.ParserOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFilesTest {
    private static List<GroupSpec> parse(String yaml) throws RuleFileException {
        return RuleFiles.parse(yaml, "r.yml", ParserOptions.defaults());
    }

    private static List<String> errors(String yaml) {
        try {
            parse(yaml);
        } catch (RuleFileException e) {
            return e.errors();
        }
        throw new AssertionError("expected the file to be refused");
    }

    @Test
    void parse_validFile_returnsGroupsAndRules() throws Exception {
        List<GroupSpec> g = parse("""
                groups:
                  - name: g
                    interval: 30s
                    limit: 10
                    query_offset: 1m
                    rules:
                      - record: job:up:sum
                        expr: sum by (job) (up)
                        labels: {team: a}
                      - alert: Down
                        expr: up == 0
                        for: 5m
                        keep_firing_for: 2m
                        labels: {severity: page}
                        annotations: {summary: "{{ $labels.instance }} down"}
                """);
        assertThat(g).hasSize(1);
        GroupSpec s = g.getFirst();
        assertThat(s.name()).isEqualTo("g");
        assertThat(s.file()).isEqualTo("r.yml");
        assertThat(s.intervalMs()).isEqualTo(30_000);
        assertThat(s.queryOffsetMs()).isEqualTo(60_000);
        assertThat(s.limit()).isEqualTo(10);
        assertThat(s.rules()).hasSize(2);
        RuleSpec rec = s.rules().get(0);
        assertThat(rec.alerting()).isFalse();
        assertThat(rec.name()).isEqualTo("job:up:sum");
        assertThat(rec.labels()).isEqualTo(Labels.of("team", "a"));
        RuleSpec alert = s.rules().get(1);
        assertThat(alert.alerting()).isTrue();
        assertThat(alert.holdMs()).isEqualTo(300_000);
        assertThat(alert.keepFiringForMs()).isEqualTo(120_000);
        assertThat(alert.annotations()).containsEntry("summary", "{{ $labels.instance }} down");
    }

    @Test
    void parse_groupWithoutIntervalOrOffset_marksThemAbsent() throws Exception {
        GroupSpec s = parse("groups:\n- name: g\n  rules:\n  - record: a\n    expr: '1'\n").getFirst();
        assertThat(s.intervalMs()).isZero();
        assertThat(s.queryOffsetMs()).isEqualTo(-1);
    }

    @Test
    void parse_badExpression_namesPositionGroupAndRule() {
        assertThat(errors("""
                groups:
                  - name: g
                    rules:
                      - record: job:up
                        expr: sum(up
                """)).containsExactly("r.yml: 5:15: group \"g\", rule 1, \"job:up\": could not parse expression: "
                        + "1:7: parse error: unclosed left parenthesis");
    }

    @Test
    void parse_recordingRuleProblems_allReported() {
        assertThat(errors("""
                groups:
                - name: x
                  rules:
                  - record: "a b"
                    expr: 1
                    for: 1m
                    annotations: {a: b}
                """)).containsExactly(
                "r.yml: 4:13: group \"x\", rule 1, \"a b\": invalid field 'annotations' in recording rule",
                "r.yml: 4:13: group \"x\", rule 1, \"a b\": invalid field 'for' in recording rule",
                "r.yml: 4:13: group \"x\", rule 1, \"a b\": invalid recording rule name: a b");
    }

    @Test
    void parse_ruleKindProblems_wordedAsPrometheus() {
        assertThat(errors("""
                groups:
                - name: x
                  rules:
                  - alert: X
                    record: y
                    expr: up
                  - expr: up
                  - alert: Y
                    expr: ""
                """)).containsExactly(
                "r.yml: 5:13: 4:12: group \"x\", rule 1, \"X\": only one of 'record' and 'alert' must be set",
                "r.yml: 0:0: group \"x\", rule 2, \"\": one of 'record' or 'alert' must be set",
                "r.yml: 9:11: group \"x\", rule 3, \"Y\": field 'expr' must be set in rule");
    }

    @Test
    void parse_labelsAnnotationsAndTemplates_checked() {
        assertThat(errors("""
                groups:
                - name: g
                  rules:
                  - alert: A
                    expr: up == 0
                    labels: {"0bad": x, __name__: y}
                    annotations:
                      "a-b": x
                      s: "{{ $labels.x "
                """)).containsExactly(
                "r.yml: group \"g\", rule 1, \"A\": invalid label name: 0bad",
                "r.yml: group \"g\", rule 1, \"A\": invalid label name: __name__",
                "r.yml: group \"g\", rule 1, \"A\": invalid annotation name: a-b",
                "r.yml: group \"g\", rule 1, \"A\": annotation \"s\": template: __alert_A:1: unclosed action");
    }

    @Test
    void parse_groupNames_emptyAndRepeatedRefused() {
        assertThat(errors("""
                groups:
                  - name: g
                    rules: []
                  - name: g
                    rules: []
                  - name: ""
                    rules: []
                """)).containsExactly(
                "r.yml: 4:5: groupname: \"g\" is repeated in the same file",
                "r.yml: 6:5: Groupname must not be empty");
    }

    @Test
    void parse_unknownKey_namesLine() {
        assertThat(errors("groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n    bogus: 1\n"))
                .singleElement().asString().startsWith("r.yml:6:").contains("unknown key \"bogus\"");
    }

    @Test
    void parse_emptyFile_hasNoGroups() throws Exception {
        assertThat(parse("# nothing\n")).isEmpty();
    }

    @Test
    void load_missingFile_refused(@TempDir Path dir) {
        assertThatThrownBy(() -> RuleFiles.load(dir.resolve("nope.yml")))
                .isInstanceOf(RuleFileException.class).hasMessageContaining("no such file");
    }

    @Test
    void globs_expand_matchesSortedAndIgnoresNonMatching(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("b.rules.yml"), "");
        Files.writeString(dir.resolve("a.rules.yml"), "");
        Files.writeString(dir.resolve("c.txt"), "");
        Files.writeString(dir.resolve("sub/d.rules.yml"), "");
        assertThat(RuleGlobs.expand(List.of("*.rules.yml"), dir))
                .containsExactly(dir.resolve("a.rules.yml"), dir.resolve("b.rules.yml"));
        assertThat(RuleGlobs.expand(List.of("*/*.yml", "none*.yml", "c.txt"), dir))
                .containsExactly(dir.resolve("sub/d.rules.yml"), dir.resolve("c.txt"));
    }
}
