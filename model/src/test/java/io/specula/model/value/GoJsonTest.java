package io.specula.model.value;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoJsonTest {
    @Test
    void quote_escapesAsGoEncodingJson() {
        StringBuilder sb = new StringBuilder();
        GoJson.quote(sb, "a\"b\\c\nd\re\tf\u0001<g>&h\u2028ö");
        // Go: json.Marshal("a\"b\\c\nd\re\tf\x01<g>&h\u2028ö")
        assertThat(sb).hasToString("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001\\u003cg\\u003e\\u0026h\\u2028ö\"");
    }
}
