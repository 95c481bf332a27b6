package io.specula.model.relabel;

import static io.specula.model.relabel.TestRules.cfg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.InvalidRegexException;
import io.specula.model.labels.LabelNames.NameValidation;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class RelabelConfigTest {
    private static final NameValidation UTF8 = NameValidation.UTF8;
    private static final NameValidation LEGACY = NameValidation.LEGACY;

    @Test
    void constructor_prometheusDefaults() {
        RelabelConfig c = new RelabelConfig();
        assertThat(c.getSourceLabels()).isNull();
        assertThat(c.getSeparator()).isEqualTo(";");
        assertThat(c.getRegex()).isEqualTo("(.*)");
        assertThat(c.getModulus()).isZero();
        assertThat(c.getTargetLabel()).isEmpty();
        assertThat(c.getReplacement()).isEqualTo("$1");
        assertThat(c.getAction()).isEqualTo("replace");
        assertThat(c.validated()).isFalse();
    }

    @Test
    void setters_yamlNullIsEmptyString() {
        RelabelConfig c = cfg("separator", null, "regex", null, "target_label", null, "replacement", null, "action", null);
        assertThat(c.getSeparator()).isEmpty();
        assertThat(c.getRegex()).isEmpty();
        assertThat(c.getTargetLabel()).isEmpty();
        assertThat(c.getReplacement()).isEmpty();
        assertThat(c.getAction()).isEmpty();
        RelabelConfig lists = new RelabelConfig();
        lists.setSourceLabels(Arrays.asList("a", null));
        assertThat(lists.getSourceLabels()).containsExactly("a", "");
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                // scheme, rule, Prometheus's message
                Arguments.of(UTF8, cfg("action", ""), "relabel action cannot be empty"),
                Arguments.of(UTF8, cfg("action", null), "relabel action cannot be empty"),
                Arguments.of(UTF8, cfg("action", "Foo"), "unknown relabel action \"Foo\""),
                Arguments.of(UTF8, cfg("action", "keep\n"), "unknown relabel action \"keep\\n\""),
                Arguments.of(UTF8, cfg("action", "label_drop"), "unknown relabel action \"label_drop\""),
                Arguments.of(UTF8, cfg("source_labels", "a,", "target_label", "x"), "\"\" is not a valid label name"),
                Arguments.of(UTF8, cfg("regex", "(abc", "target_label", "x"),
                        "error parsing regexp: missing closing ): `^(?s:(abc)$`"),
                Arguments.of(UTF8, cfg("action", "drop", "regex", "a{2,1}"),
                        "error parsing regexp: invalid repeat count: `{2,1}`"),
                // hashmod
                Arguments.of(UTF8, cfg("action", "hashmod", "target_label", "x"),
                        "relabel configuration for hashmod requires non-zero modulus"),
                Arguments.of(UTF8, cfg("action", "hashmod", "modulus", "8"),
                        "relabel configuration for hashmod action requires 'target_label' value"),
                Arguments.of(LEGACY, cfg("action", "hashmod", "modulus", "8", "target_label", "shard-id"),
                        "\"shard-id\" is invalid 'target_label' for hashmod action"),
                Arguments.of(LEGACY, cfg("action", "hashmod", "modulus", "8", "target_label", "s_$1"),
                        "\"s_$1\" is invalid 'target_label' for hashmod action"),
                // replace
                Arguments.of(UTF8, cfg("source_labels", "a"),
                        "relabel configuration for replace action requires 'target_label' value"),
                Arguments.of(UTF8, cfg("action", "Replace"),
                        "relabel configuration for replace action requires 'target_label' value"),
                Arguments.of(LEGACY, cfg("target_label", "host.name"),
                        "\"host.name\" is invalid 'target_label' for replace action"),
                Arguments.of(LEGACY, cfg("target_label", "7up"), "\"7up\" is invalid 'target_label' for replace action"),
                Arguments.of(LEGACY, cfg("target_label", "9${1}"), "\"9${1}\" is invalid 'target_label' for replace action"),
                Arguments.of(LEGACY, cfg("target_label", "x.${1}"), "\"x.${1}\" is invalid 'target_label' for replace action"),
                Arguments.of(LEGACY, cfg("target_label", "$$"), "\"$$\" is invalid 'target_label' for replace action"),
                Arguments.of(LEGACY, cfg("target_label", "${a"), "\"${a\" is invalid 'target_label' for replace action"),
                // lowercase, uppercase, keepequal, dropequal: a plain target, no replacement
                Arguments.of(UTF8, cfg("action", "lowercase", "source_labels", "a"),
                        "relabel configuration for lowercase action requires 'target_label' value"),
                Arguments.of(UTF8, cfg("action", "uppercase", "source_labels", "a"),
                        "relabel configuration for uppercase action requires 'target_label' value"),
                Arguments.of(UTF8, cfg("action", "keepequal", "source_labels", "a"),
                        "relabel configuration for keepequal action requires 'target_label' value"),
                Arguments.of(UTF8, cfg("action", "dropequal", "source_labels", "a"),
                        "relabel configuration for dropequal action requires 'target_label' value"),
                Arguments.of(LEGACY, cfg("action", "lowercase", "target_label", "${1}"),
                        "\"${1}\" is invalid 'target_label' for lowercase action"),
                Arguments.of(LEGACY, cfg("action", "keepequal", "target_label", "a b"),
                        "\"a b\" is invalid 'target_label' for keepequal action"),
                Arguments.of(UTF8, cfg("action", "lowercase", "target_label", "x", "replacement", "$2"),
                        "'replacement' can not be set for lowercase action"),
                Arguments.of(UTF8, cfg("action", "uppercase", "target_label", "x", "replacement", ""),
                        "'replacement' can not be set for uppercase action"),
                Arguments.of(UTF8, cfg("action", "keepequal", "target_label", "x", "replacement", "y"),
                        "'replacement' can not be set for keepequal action"),
                Arguments.of(UTF8, cfg("action", "dropequal", "target_label", "x", "replacement", "y"),
                        "'replacement' can not be set for dropequal action"),
                Arguments.of(UTF8, cfg("action", "keepequal", "target_label", "x", "regex", "(.*)"),
                        "keepequal action requires only 'source_labels' and `target_label`, and no other fields"),
                Arguments.of(UTF8, cfg("action", "keepequal", "target_label", "x", "regex", null),
                        "keepequal action requires only 'source_labels' and `target_label`, and no other fields"),
                Arguments.of(UTF8, cfg("action", "dropequal", "target_label", "x", "separator", ","),
                        "dropequal action requires only 'source_labels' and `target_label`, and no other fields"),
                Arguments.of(UTF8, cfg("action", "dropequal", "target_label", "x", "modulus", "2"),
                        "dropequal action requires only 'source_labels' and `target_label`, and no other fields"),
                // labelmap
                Arguments.of(UTF8, cfg("action", "labelmap", "regex", "(.*)", "replacement", ""),
                        "\"\" is invalid 'replacement' for labelmap action"),
                Arguments.of(LEGACY, cfg("action", "labelmap", "regex", "(.*)", "replacement", "k8s-$1"),
                        "\"k8s-$1\" is invalid 'replacement' for labelmap action"),
                // labeldrop, labelkeep
                Arguments.of(UTF8, cfg("action", "labeldrop", "regex", "a", "source_labels", ""),
                        "labeldrop action requires only 'regex', and no other fields"),
                Arguments.of(UTF8, cfg("action", "labeldrop", "regex", "a", "source_labels", "b"),
                        "labeldrop action requires only 'regex', and no other fields"),
                Arguments.of(UTF8, cfg("action", "labelkeep", "regex", "a", "target_label", "b"),
                        "labelkeep action requires only 'regex', and no other fields"),
                Arguments.of(UTF8, cfg("action", "labelkeep", "regex", "a", "modulus", "1"),
                        "labelkeep action requires only 'regex', and no other fields"),
                Arguments.of(UTF8, cfg("action", "labeldrop", "regex", "a", "separator", ""),
                        "labeldrop action requires only 'regex', and no other fields"),
                Arguments.of(UTF8, cfg("action", "LabelKeep", "regex", "a", "replacement", "$2"),
                        "labelkeep action requires only 'regex', and no other fields"));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("invalidConfigs")
    void validate_invalid_prometheusMessage(NameValidation scheme, RelabelConfig c, String message) {
        assertThatThrownBy(() -> c.validate(scheme))
                .isInstanceOf(InvalidRelabelConfigException.class)
                .hasMessage(message);
        assertThat(c.validated()).isFalse();
    }

    @Test
    void validate_invalidRegex_keepsCause() {
        assertThatThrownBy(() -> cfg("action", "drop", "regex", "[").validate())
                .hasCauseInstanceOf(InvalidRegexException.class);
    }

    static Stream<Arguments> validConfigs() {
        return Stream.of(
                // scheme, rule, parsed action
                Arguments.of(UTF8, cfg("target_label", "x"), RelabelAction.REPLACE),
                Arguments.of(UTF8, cfg("target_label", "host.name"), RelabelAction.REPLACE),
                Arguments.of(UTF8, cfg("target_label", "$$"), RelabelAction.REPLACE),
                Arguments.of(UTF8, cfg("target_label", "9${1}"), RelabelAction.REPLACE),
                Arguments.of(LEGACY, cfg("target_label", "${1}_${name}"), RelabelAction.REPLACE),
                Arguments.of(LEGACY, cfg("target_label", "__tmp_$1x"), RelabelAction.REPLACE),
                Arguments.of(UTF8, cfg("action", "KEEP", "source_labels", "a,b"), RelabelAction.KEEP),
                Arguments.of(UTF8, cfg("action", "drop"), RelabelAction.DROP),
                Arguments.of(UTF8, cfg("action", "drop", "source_labels", "service.name"), RelabelAction.DROP),
                Arguments.of(LEGACY, cfg("action", "drop", "source_labels", "service.name"), RelabelAction.DROP),
                Arguments.of(UTF8, cfg("action", "keepequal", "target_label", "x", "separator", ";", "replacement", "$1"),
                        RelabelAction.KEEPEQUAL),
                Arguments.of(UTF8, cfg("action", "dropequal", "target_label", "x", "source_labels", "a,b"),
                        RelabelAction.DROPEQUAL),
                Arguments.of(UTF8, cfg("action", "hashmod", "target_label", "x", "modulus", "18446744073709551615"),
                        RelabelAction.HASHMOD),
                Arguments.of(UTF8, cfg("action", "hashmod", "target_label", "s_$1", "modulus", "2"),
                        RelabelAction.HASHMOD),
                Arguments.of(UTF8, cfg("action", "lowercase", "target_label", "${1}"), RelabelAction.LOWERCASE),
                Arguments.of(UTF8, cfg("action", "uppercase", "target_label", "x", "replacement", "$1"),
                        RelabelAction.UPPERCASE),
                Arguments.of(LEGACY, cfg("action", "labelmap", "regex", "(.*)", "replacement", "${1}"),
                        RelabelAction.LABELMAP),
                Arguments.of(UTF8, cfg("action", "labelmap", "regex", "(.*)", "replacement", "k8s-$1"),
                        RelabelAction.LABELMAP),
                Arguments.of(UTF8, cfg("action", "labeldrop", "regex", "a", "source_labels", null,
                        "separator", ";", "replacement", "$1", "target_label", ""), RelabelAction.LABELDROP),
                Arguments.of(UTF8, cfg("action", "labelkeep"), RelabelAction.LABELKEEP));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("validConfigs")
    void validate_valid_parsesAction(NameValidation scheme, RelabelConfig c, RelabelAction action) {
        assertThat(c.validate(scheme)).isSameAs(c);
        assertThat(c.validated()).isTrue();
        assertThat(c.action()).isEqualTo(action);
        assertThat(c.nameValidation()).isEqualTo(scheme);
        assertThat(c.compiledRegex().text()).isEqualTo(c.getRegex());
    }

    @Test
    void validate_noArgument_utf8() {
        assertThat(cfg("target_label", "a.b").validate().nameValidation()).isEqualTo(UTF8);
    }

    @Test
    void validate_nullRegex_matchesOnlyEmpty() {
        RelabelConfig c = cfg("action", "keep", "regex", null).validate();
        assertThat(c.compiledRegex().matches("")).isTrue();
        assertThat(c.compiledRegex().matches("x")).isFalse();
    }

    @Test
    void setters_afterValidate_throw() {
        RelabelConfig c = cfg("target_label", "x").validate();
        assertThatThrownBy(() -> c.setTargetLabel("y")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.setSourceLabels(List.of("a"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.setRegex("a")).isInstanceOf(IllegalStateException.class);
        assertThat(c.getTargetLabel()).isEqualTo("x");
    }

    @Test
    void compiledAccessors_beforeValidate_throw() {
        RelabelConfig c = cfg("target_label", "x");
        assertThatThrownBy(c::action).isInstanceOf(IllegalStateException.class).hasMessageContaining("validate()");
        assertThatThrownBy(c::compiledRegex).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void getSourceLabels_unmodifiable() {
        RelabelConfig c = cfg("source_labels", "a,b");
        assertThatThrownBy(() -> c.getSourceLabels().add("c")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toString_yamlFlowMapping() {
        assertThat(cfg("source_labels", "a,b", "target_label", "t", "action", "hashmod", "modulus", "18446744073709551615")
                        .toString())
                .isEqualTo("{source_labels: [\"a\", \"b\"], separator: \";\", regex: \"(.*)\", "
                        + "modulus: 18446744073709551615, target_label: \"t\", replacement: \"$1\", action: \"hashmod\"}");
    }

    static Stream<Arguments> namesWithVariables() {
        return Stream.of(
                // legacy: [a-zA-Z0-9_] and $-references, not starting with a digit
                Arguments.of("job", true),
                Arguments.of("job_${1}", true),
                Arguments.of("${2}_suffix", true),
                Arguments.of("$1", true),
                Arguments.of("$name", true),
                Arguments.of("${name}", true),
                Arguments.of("x$1y$2z", true),
                Arguments.of("__tmp_$1", true),
                Arguments.of("${1}9", true),
                Arguments.of("9lives", false),
                Arguments.of("9${1}", false),
                Arguments.of("a-b", false),
                Arguments.of("a.$1", false),
                Arguments.of("$", false),
                Arguments.of("$$1", false),
                Arguments.of("${", false),
                Arguments.of("${}", false),
                Arguments.of("${1", false),
                Arguments.of("${a-b}", false),
                Arguments.of("x}${1}", false),
                Arguments.of("${é}", false),
                Arguments.of("é", false),
                Arguments.of("", false));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("namesWithVariables")
    void isValidNameWithVariables_legacyGrammar(String name, boolean valid) {
        assertThat(RelabelConfig.isValidNameWithVariables(name, LEGACY)).isEqualTo(valid);
    }

    @ParameterizedTest
    @EnumSource(RelabelAction.class)
    void fromYaml_caseInsensitive(RelabelAction a) {
        assertThat(RelabelAction.fromYaml(a.yamlName())).isEqualTo(a);
        assertThat(RelabelAction.fromYaml(a.yamlName().toUpperCase(java.util.Locale.ROOT))).isEqualTo(a);
    }

    @Test
    void isValidNameWithVariables_utf8_anyNonEmptyName() {
        assertThat(RelabelConfig.isValidNameWithVariables("k8s-$1", UTF8)).isTrue();
        assertThat(RelabelConfig.isValidNameWithVariables("$", UTF8)).isTrue();
        assertThat(RelabelConfig.isValidNameWithVariables("", UTF8)).isFalse();
        assertThat(RelabelConfig.isValidNameWithVariables("\uD800", UTF8)).isFalse(); // not encodable as UTF-8
    }
}
