package io.specula.alertmanager.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertmanagerConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("alertmanager.yml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void load_refusesIntegrationsNotSupportedYet() throws Exception {
        Path f = write("""
                global:
                  smtp_smarthost: localhost:25
                  smtp_from: a@b
                route:
                  receiver: mail
                receivers:
                  - name: mail
                    email_configs:
                      - to: x@y
                    sns_configs:
                      - topic_arn: arn:aws:sns:eu-west-1:1:t
                """);
        assertThat(AlertmanagerConfigLoader.loadAndValidate(f).receivers()).hasSize(1);
        assertThatThrownBy(() -> AlertmanagerConfigLoader.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("receiver \"mail\": sns_configs is not supported yet");
    }

    @Test
    void load_refusesHttpClientFeaturesNotSupportedYet() throws Exception {
        Path f = write("""
                route:
                  receiver: w
                receivers:
                  - name: w
                    webhook_configs:
                      - url: http://x/
                        http_config:
                          oauth2:
                            client_id: c
                            client_secret: s
                            token_url: http://auth/token
                """);
        assertThat(AlertmanagerConfigLoader.loadAndValidate(f)).isNotNull();
        assertThatThrownBy(() -> AlertmanagerConfigLoader.load(f))
                .hasMessageContaining("receiver \"w\": http_config.oauth2 is not supported yet");
    }

    @Test
    void load_unknownKeyInOtherIntegrationNamesLine() throws Exception {
        Path f = write("""
                route:
                  receiver: s
                receivers:
                  - name: s
                    slack_configs:
                      - api_url: http://x/
                        chanel: '#a'
                """);
        assertThatThrownBy(() -> AlertmanagerConfigLoader.loadAndValidate(f))
                .hasMessageStartingWith(f + ":7:")
                .hasMessageContaining("chanel");
    }

    @Test
    void toString_redactsSecretsAndKeepsDefaults() throws Exception {
        Path f = write("""
                route:
                  receiver: w
                receivers:
                  - name: w
                    webhook_configs:
                      - url: http://user:pw@example.org/hook
                        http_config:
                          basic_auth:
                            username: u
                            password: hunter2
                """);
        String printed = AlertmanagerConfigLoader.load(f).toString();
        assertThat(printed).doesNotContain("hunter2").doesNotContain("user:pw")
                .contains("resolve_timeout: \"5m\"").contains("url: \"http://example.org/<secret>\"")
                .contains("password: \"<secret>\"");
        // What we print must load again (amtool config show output is reused as a config).
        assertThat(AlertmanagerConfigLoader.parse(printed, "printed").route.receiver).isEqualTo("w");
    }

    @Test
    void toString_printsAConfigThatLoadsToTheSameTree() throws Exception {
        Path f = write("""
                route:
                  receiver: r
                  group_by: ['...']
                  routes:
                    - receiver: r
                      matchers: ['a=~"x|y"']
                      active_time_intervals: [t]
                receivers:
                  - name: r
                time_intervals:
                  - name: t
                    time_intervals:
                      - times: [{start_time: "18:00", end_time: "24:00"}]
                        months: ['12', 'january:march']
                        weekdays: ['yes']
                """.replace("['yes']", "['monday']"));
        AlertmanagerConfig c = AlertmanagerConfigLoader.load(f);
        String printed = c.toString();
        assertThat(printed).contains("start_time: \"18:00\"").contains("- \"12\"").contains("- \"...\"");
        AlertmanagerConfig again = AlertmanagerConfigLoader.parse(printed, "printed");
        assertThat(again.toString()).isEqualTo(printed);
        assertThat(again.route.groupByAll).isTrue();
    }

    @Test
    void timeInterval_containsUsesLocationAndRanges() throws Exception {
        Path f = write("""
                route:
                  receiver: r
                receivers:
                  - name: r
                time_intervals:
                  - name: office
                    time_intervals:
                      - times: [{start_time: "09:00", end_time: "17:00"}]
                        weekdays: ['monday:friday']
                        days_of_month: ['-7:-1']
                        location: Europe/Berlin
                """);
        TimeIntervalConfig ti = AlertmanagerConfigLoader.load(f).allTimeIntervals().getFirst();
        assertThat(ti.contains(Instant.parse("2026-11-23T08:30:00Z"))).isFalse(); // Monday 9:30 Berlin, 23rd of 30
        assertThat(ti.contains(Instant.parse("2026-11-26T08:30:00Z"))).isTrue(); // Thursday 26th, last 7 days
        assertThat(ti.contains(Instant.parse("2026-11-26T16:30:00Z"))).isFalse(); // 17:30 Berlin
        assertThat(ti.contains(Instant.parse("2026-11-28T08:30:00Z"))).isFalse(); // Saturday
    }

    @Test
    void teamsReceivers_needExactlyOneWebhookUrlSource() throws Exception {
        Path missing = write("route:\n  receiver: r\nreceivers:\n  - name: r\n    msteams_configs:\n      - title: t\n");
        assertThatThrownBy(() -> AlertmanagerConfigLoader.load(missing))
                .hasMessageEndingWith("one of webhook_url or webhook_url_file must be configured");
        Path both = write("route:\n  receiver: r\nreceivers:\n  - name: r\n    msteamsv2_configs:\n"
                + "      - webhook_url: https://x.example/\n        webhook_url_file: /f\n");
        assertThatThrownBy(() -> AlertmanagerConfigLoader.load(both))
                .hasMessageEndingWith("at most one of webhook_url & webhook_url_file must be configured");
    }

    @Test
    void receivers_fillGlobalDefaultsAndPrintSecretsRedacted() throws Exception {
        Path f = write("""
                global:
                  slack_api_url: https://hooks.slack.com/services/T/B/secretpath
                  smtp_smarthost: mail:25
                  smtp_from: am@example.org
                  smtp_auth_password: hunter2
                route:
                  receiver: r
                receivers:
                  - name: r
                    slack_configs: [{channel: '#a'}]
                    email_configs: [{to: ops@example.org}]
                    pagerduty_configs: [{routing_key: rk-secret}]
                    opsgenie_configs: [{api_key: og-secret}]
                    telegram_configs: [{bot_token: tg-secret, chat_id: 5}]
                """);
        AlertmanagerConfig c = AlertmanagerConfigLoader.load(f);
        ReceiverConfig r = c.receivers().getFirst();
        assertThat(r.slacks().getFirst().apiUrl.reveal()).endsWith("/secretpath");
        assertThat(r.emails().getFirst().smarthost).isEqualTo("mail:25");
        assertThat(r.emails().getFirst().requireTls).isTrue();
        assertThat(r.pagerduties().getFirst().url).isEqualTo("https://events.pagerduty.com/v2/enqueue");
        assertThat(r.opsgenies().getFirst().apiUrl).isEqualTo("https://api.opsgenie.com/");
        assertThat(r.telegrams().getFirst().apiUrl).isEqualTo("https://api.telegram.org");
        String printed = c.toString();
        assertThat(printed).doesNotContain("secretpath", "hunter2", "rk-secret", "og-secret", "tg-secret")
                .contains("<secret>");
    }

    @Test
    void load_refusesReceiverFeaturesNotSupportedYet() throws Exception {
        String head = "route:\n  receiver: r\nreceivers:\n  - name: r\n";
        Path threading = write(head + "    email_configs:\n      - to: a@b\n        from: c@d\n        smarthost: m:25\n"
                + "        threading:\n          enabled: true\n");
        assertThatThrownBy(() -> AlertmanagerConfigLoader.load(threading))
                .hasMessageContaining("email_configs: threading is not supported yet");
        Path update = write(head + "    slack_configs:\n      - api_url: https://s.example/\n        update_message: true\n");
        assertThatThrownBy(() -> AlertmanagerConfigLoader.load(update))
                .hasMessageContaining("slack_configs: update_message is not supported yet");
        Path env = write(head + "    discord_configs:\n      - webhook_url: https://d.example/\n        http_config:\n"
                + "          proxy_from_environment: true\n");
        assertThatThrownBy(() -> AlertmanagerConfigLoader.load(env))
                .hasMessageContaining("http_config.proxy_from_environment is not supported yet");
    }
}
