package io.specula.model.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.LabelNames.NameValidation;
import org.junit.jupiter.api.Test;

class LabelNamesTest {

    @Test
    void legacyMetricName_allowsColonsNotLeadingDigits() {
        assertThat(LabelNames.isValidLegacyMetricName("job:http_requests:rate5m")).isTrue();
        assertThat(LabelNames.isValidLegacyMetricName("_x9")).isTrue();
        assertThat(LabelNames.isValidLegacyMetricName("9x")).isFalse();
        assertThat(LabelNames.isValidLegacyMetricName("a.b")).isFalse();
        assertThat(LabelNames.isValidLegacyMetricName("")).isFalse();
    }

    @Test
    void legacyLabelName_rejectsColons() {
        assertThat(LabelNames.isValidLegacyLabelName("instance")).isTrue();
        assertThat(LabelNames.isValidLegacyLabelName("__name__")).isTrue();
        assertThat(LabelNames.isValidLegacyLabelName("a:b")).isFalse();
        assertThat(LabelNames.isValidLegacyLabelName("0a")).isFalse();
    }

    @Test
    void utf8Names_acceptAnyWellFormedNonEmptyString() {
        assertThat(LabelNames.isValidMetricName("service.name", NameValidation.UTF8)).isTrue();
        assertThat(LabelNames.isValidLabelName("温度", NameValidation.UTF8)).isTrue();
        assertThat(LabelNames.isValidLabelName("😀 ok", NameValidation.UTF8)).isTrue();
        assertThat(LabelNames.isValidLabelName("", NameValidation.UTF8)).isFalse();
        assertThat(LabelNames.isValidLabelName("bad\uD800", NameValidation.UTF8)).isFalse();
        assertThat(LabelNames.isValidLabelName("service.name", NameValidation.LEGACY)).isFalse();
    }

    @Test
    void appendQuoted_escapesLikeGo() {
        assertThat(LabelNames.appendQuoted(new StringBuilder(), "a\tb\u0001c\u007f").toString())
                .isEqualTo("\"a\\tb\\x01c\\x7f\"");
        assertThat(LabelNames.appendQuoted(new StringBuilder(), "ü😀").toString()).isEqualTo("\"ü😀\"");
        assertThat(LabelNames.appendQuoted(new StringBuilder(), "\u200b").toString()).isEqualTo("\"\\u200b\"");
    }
}
