package io.specula.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupingKeyTest {

    @Test
    void parse_jobAndLabels_sortedWithJob() throws PushException {
        GroupingKey k = GroupingKey.parse("batch", false, "/zone/eu/instance/h1");
        assertThat(k.labels().keySet()).containsExactly("instance", "job", "zone");
        assertThat(k.labels()).isEqualTo(Map.of("instance", "h1", "job", "batch", "zone", "eu"));
        assertThat(k.key()).isEqualTo("instance\u00ffh1\u00ffjob\u00ffbatch\u00ffzone\u00ffeu");
    }

    @Test
    void parse_base64JobAndValues_urlAlphabetPaddingOptional() throws PushException {
        assertThat(GroupingKey.parse("Zm9vL2Jhcg", true, "").job()).isEqualTo("foo/bar");
        assertThat(GroupingKey.parse("Zm9vL2Jhcg==", true, "").job()).isEqualTo("foo/bar");
        assertThat(GroupingKey.parse("j", false, "/path@base64/L3Zhci90bXA").labels()).containsEntry("path", "/var/tmp");
        assertThat(GroupingKey.parse("j", false, "/v@base64/Pz8_Pj4-").labels()).containsEntry("v", "???>>>");
    }

    @Test
    void parse_emptyValue_keptAsEmptyLabel() throws PushException {
        assertThat(GroupingKey.parse("j", false, "/x/").labels()).containsEntry("x", "");
        assertThat(GroupingKey.parse("j", false, "/x@base64/=").labels()).containsEntry("x", "");
    }

    @Test
    void parse_jobInLabelsLosesToThePathJob() throws PushException {
        assertThat(GroupingKey.parse("a", false, "/job/b").job()).isEqualTo("a");
    }

    @Test
    void parse_errors_withThePushgatewaysTexts() {
        assertRefused("j", false, "/a", "odd number of components in label string \"/a\"");
        assertRefused("j", false, "/__a/b", "improper label name \"__a\"");
        assertRefused("j", false, "/a-b/c", "improper label name \"a-b\"");
        assertRefused("j", false, "/1a/c", "improper label name \"1a\"");
        assertRefused("j", false, "/a@base64/!!", "invalid base64 encoding for label a=\"!!\": illegal base64 data at input byte 0");
        assertRefused("j", false, "/a@base64/abcde", "invalid base64 encoding for label a=\"abcde\": illegal base64 data at input byte 4");
        assertRefused("Zm9v.", true, "", "invalid base64 encoding in job name \"foo\": illegal base64 data at input byte 4");
        assertRefused("=", true, "", "job name is required");
    }

    private static void assertRefused(String job, boolean b64, String labels, String message) {
        assertThatThrownBy(() -> GroupingKey.parse(job, b64, labels)).isInstanceOf(PushException.class)
                .hasMessage(message).satisfies(e -> assertThat(((PushException) e).status()).isEqualTo(400));
    }
}
