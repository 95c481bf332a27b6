package io.specula.alertmanager.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.specula.model.config.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A receiver integration Specula parses and checks but cannot deliver to yet (SNS,
 * WeChat, Jira, Rocket.Chat, incident.io, Mattermost). Keys are
 * checked against the integration's known keys, so a typo is still an error with a line number; the values are kept as parsed YAML and printed back with the
 * integration's secret keys redacted. Loading a config that uses one is refused by
 * {@link AlertmanagerConfigLoader} with a "not supported yet" message.
 */
public class OtherReceiverConfig {
    private static final Set<String> COMMON = Set.of("send_resolved", "http_config");

    private final Kind kind;
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** The integrations, with their keys and which of those hold secrets. */
    public enum Kind {
        SNS("sns_configs", Set.of("api_url", "sigv4", "topic_arn", "phone_number", "target_arn", "subject", "message",
                "attributes"), Set.of()),
        WECHAT("wechat_configs", Set.of("api_secret", "api_url", "corp_id", "message", "message_type", "agent_id",
                "to_user", "to_party", "to_tag"), Set.of("api_secret")),
        JIRA("jira_configs", Set.of("api_url", "project", "summary", "description", "labels", "priority", "issue_type",
                "reopen_transition", "resolve_transition", "wont_fix_resolution", "reopen_duration", "fields",
                "api_type"), Set.of()),
        ROCKETCHAT("rocketchat_configs", Set.of("api_url", "channel", "token", "token_file", "token_id",
                "token_id_file", "color", "emoji", "icon_url", "text", "title", "title_link", "fields",
                "short_fields", "image_url", "thumb_url", "link_names", "actions"), Set.of("token", "token_id")),
        INCIDENTIO("incidentio_configs", Set.of("url", "url_file", "alert_source_token", "alert_source_token_file",
                "max_alerts", "timeout"), Set.of("url", "alert_source_token")),
        MATTERMOST("mattermost_configs", Set.of("webhook_url", "webhook_url_file", "channel", "username", "text",
                "icon_url", "icon_emoji", "attachments", "props", "priority"), Set.of("webhook_url"));

        private final String key;
        private final Set<String> keys;
        private final Set<String> secrets;

        Kind(String key, Set<String> keys, Set<String> secrets) {
            this.key = key;
            this.keys = keys;
            this.secrets = secrets;
        }

        /** The receiver key, e.g. {@code email_configs}. */
        public String key() {
            return key;
        }
    }

    OtherReceiverConfig(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The value of a key as parsed (a String, Boolean, Number, List or Map), or null. */
    public Object get(String key) {
        return values.get(key);
    }

    @JsonAnySetter
    void set(String key, Object value) {
        if (!COMMON.contains(key) && !kind.keys.contains(key)) {
            throw new IllegalArgumentException("unknown key \"" + key + "\" in " + kind.key);
        }
        values.put(key, value);
    }

    @JsonAnyGetter
    Map<String, Object> printed() {
        Map<String, Object> out = new LinkedHashMap<>(values);
        for (String s : kind.secrets) {
            if (out.get(s) instanceof String v && !v.isEmpty()) {
                out.put(s, Secret.REDACTED);
            }
        }
        return out;
    }

    // One concrete type per integration, so the YAML binder can instantiate each list element.
    /** {@code sns} entry. */
    public static final class Sns extends OtherReceiverConfig {
        public Sns() {
            super(Kind.SNS);
        }
    }

    /** {@code wechat} entry. */
    public static final class Wechat extends OtherReceiverConfig {
        public Wechat() {
            super(Kind.WECHAT);
        }
    }

    /** {@code jira} entry. */
    public static final class Jira extends OtherReceiverConfig {
        public Jira() {
            super(Kind.JIRA);
        }
    }

    /** {@code rocketchat} entry. */
    public static final class Rocketchat extends OtherReceiverConfig {
        public Rocketchat() {
            super(Kind.ROCKETCHAT);
        }
    }

    /** {@code incidentio} entry. */
    public static final class Incidentio extends OtherReceiverConfig {
        public Incidentio() {
            super(Kind.INCIDENTIO);
        }
    }

    /** {@code mattermost} entry. */
    public static final class Mattermost extends OtherReceiverConfig {
        public Mattermost() {
            super(Kind.MATTERMOST);
        }
    }
}
