package io.specula.alertmanager.config;

import io.specula.model.config.PromDuration;
import io.specula.model.config.Secret;
import java.util.List;

/** {@code slack_configs} entry: a message with one attachment, via webhook or chat.postMessage. */
public final class SlackConfig extends NotifierConfig {
    public Secret apiUrl;
    public String apiUrlFile;
    public Secret appToken;
    public String appTokenFile;
    public String appUrl;
    public String channel;
    public String username;
    public String color;
    public String title;
    public String titleLink;
    public String pretext;
    public String text;
    public List<Field> fields;
    public boolean shortFields;
    public String footer;
    public String fallback;
    public String callbackId;
    public String iconEmoji;
    public String iconUrl;
    public String imageUrl;
    public String thumbUrl;
    public boolean linkNames;
    public List<String> mrkdwnIn;
    public List<Action> actions;
    public PromDuration timeout;
    public String messageText;
    public Boolean updateMessage;

    /** One attachment field. */
    public static final class Field {
        public String title;
        public String value;
        @com.fasterxml.jackson.annotation.JsonProperty("short")
        private Boolean isShort;

        /** {@code short}, or null to use the entry's {@code short_fields}. */
        public Boolean shortValue() {
            return isShort;
        }
    }

    /** One attachment action (button). */
    public static final class Action {
        public String type;
        public String text;
        public String url;
        public String style;
        public String name;
        public String value;
        public Confirm confirm;
    }

    /** An action's confirmation dialog. */
    public static final class Confirm {
        public String text;
        public String title;
        public String okText;
        public String dismissText;
    }

    public SlackConfig() {
        super(false);
    }

    @Override
    void validateOwn() throws ConfigValidationException {
        for (Action a : actions == null ? List.<Action>of() : actions) {
            if (!set(a.type)) {
                throw new ConfigValidationException("missing type in Slack action configuration");
            }
            if (!set(a.text)) {
                throw new ConfigValidationException("missing text in Slack action configuration");
            }
            if (set(a.url)) {
                a.name = null;
                a.value = null;
                a.confirm = null;
            } else if (!set(a.name)) {
                throw new ConfigValidationException("missing name or url in Slack action configuration");
            }
            if (a.confirm != null && !set(a.confirm.text)) {
                throw new ConfigValidationException("missing text in Slack confirmation configuration");
            }
        }
        for (Field f : fields == null ? List.<Field>of() : fields) {
            if (!set(f.title)) {
                throw new ConfigValidationException("missing title in Slack field configuration");
            }
            if (!set(f.value)) {
                throw new ConfigValidationException("missing value in Slack field configuration");
            }
        }
        checkUrl(apiUrl);
        exclusive(apiUrl != null, set(apiUrlFile), "api_url & api_url_file");
        exclusive(set(appToken), set(appTokenFile), "app_token & app_token_file");
    }

    @Override
    void applyGlobal(GlobalConfig g) throws ConfigValidationException {
        super.applyGlobal(g);
        if (apiUrl == null && !set(apiUrlFile)) {
            if (!set(g.slackApiUrl) && !set(g.slackApiUrlFile)) {
                throw new ConfigValidationException("no global Slack API URL set either inline or in a file");
            }
            apiUrl = g.slackApiUrl;
            apiUrlFile = g.slackApiUrlFile;
        }
    }
}
