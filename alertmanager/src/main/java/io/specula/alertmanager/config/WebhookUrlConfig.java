package io.specula.alertmanager.config;

import io.specula.model.config.Secret;

/**
 * The integrations addressed by one secret {@code webhook_url} (or {@code webhook_url_file}):
 * Discord, Microsoft Teams (connector) and Teams via Power Automate workflows.
 */
public abstract class WebhookUrlConfig extends NotifierConfig {
    public Secret webhookUrl;
    public String webhookUrlFile;

    WebhookUrlConfig() {
        super(true);
    }

    @Override
    void validateOwn() throws ConfigValidationException {
        checkUrl(webhookUrl);
        if (webhookUrl == null && !set(webhookUrlFile)) {
            throw new ConfigValidationException("one of webhook_url or webhook_url_file must be configured");
        }
        exclusive(webhookUrl != null, set(webhookUrlFile), "webhook_url & webhook_url_file");
    }

    /** {@code discord_configs} entry: a message with one embed. */
    public static final class Discord extends WebhookUrlConfig {
        public String title;
        public String message;
        public String content;
        public String username;
        public String avatarUrl;
    }

    /** {@code msteams_configs} entry: an Office 365 connector MessageCard. */
    public static final class MsTeams extends WebhookUrlConfig {
        public String title;
        public String summary;
        public String text;
    }

    /** {@code msteamsv2_configs} entry: an Adaptive Card for a Power Automate workflow. */
    public static final class MsTeamsV2 extends WebhookUrlConfig {
        public String title;
        public String text;
    }
}
