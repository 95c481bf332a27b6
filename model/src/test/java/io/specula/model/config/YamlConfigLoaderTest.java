package io.specula.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class YamlConfigLoaderTest {
    /** A small config class in the shape the loaders expect. */
    public static final class Sample {
        public PromDuration scrapeInterval;
        public Secret password;
        public boolean sendResolved;
        public List<Inner> items;
        public String msteamsv2Url;
    }

    public static final class Inner {
        public String name;
    }

    @Test
    void parse_bindsSnakeCaseKeys() throws ConfigException {
        Sample s = YamlConfigLoader.parse("""
                scrape_interval: 1m30s
                password: hunter2
                send_resolved: true
                msteamsv2_url: x
                items:
                  - name: a
                """, "f.yml", Sample.class);
        assertThat(s.scrapeInterval.millis()).isEqualTo(90_000);
        assertThat(s.password.reveal()).isEqualTo("hunter2");
        assertThat(s.password).hasToString("<secret>");
        assertThat(s.sendResolved).isTrue();
        assertThat(s.msteamsv2Url).isEqualTo("x");
        assertThat(s.items).singleElement().satisfies(i -> assertThat(i.name).isEqualTo("a"));
    }

    @Test
    void parse_unknownKeyNamesFileLineAndKey() {
        assertThatThrownBy(() -> YamlConfigLoader.parse("""
                scrape_interval: 1m
                items:
                  - name: a
                    nmae: b
                """, "f.yml", Sample.class))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("f.yml:4:")
                .hasMessageContaining("unknown key \"nmae\" in items[0]")
                .hasMessageNotContaining("\n");
    }

    @Test
    void parse_badDurationNamesKey() {
        assertThatThrownBy(() -> YamlConfigLoader.parse("scrape_interval: 1x\n", "f.yml", Sample.class))
                .hasMessageStartingWith("f.yml:1:")
                .hasMessageContaining("scrape_interval")
                .hasMessageEndingWith("not a valid duration string: \"1x\"");
    }

    @Test
    void parse_duplicateKeyIsAnError() {
        assertThatThrownBy(() -> YamlConfigLoader.parse("password: a\npassword: b\n", "f.yml", Sample.class))
                .hasMessageStartingWith("f.yml:2:")
                .hasMessageContaining("password");
    }

    @Test
    void parse_quotedBooleanIsNotCoerced() {
        assertThatThrownBy(() -> YamlConfigLoader.parse("send_resolved: \"true\"\n", "f.yml", Sample.class))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("send_resolved");
    }

    @Test
    void parse_syntaxErrorSaysWhatWasExpected() {
        assertThatThrownBy(() -> YamlConfigLoader.parse("items:\n  - name: a\n foo: bar\n", "f.yml", Sample.class))
                .hasMessageStartingWith("f.yml:3:")
                .hasMessageContaining("expected <block end>")
                .hasMessageNotContaining("\n");
    }

    @Test
    void parse_emptyInputIsNull() throws ConfigException {
        assertThat(YamlConfigLoader.parse("# nothing\n\n", "f.yml", Sample.class)).isNull();
    }

    @Test
    void toYaml_hidesSecrets() throws ConfigException {
        Sample s = YamlConfigLoader.parse("password: hunter2\nscrape_interval: 90m\n", "f.yml", Sample.class);
        String y = YamlConfigLoader.toYaml(s);
        assertThat(y).contains("password: \"<secret>\"").contains("scrape_interval: \"1h30m\"").doesNotContain("hunter2");
    }
}
