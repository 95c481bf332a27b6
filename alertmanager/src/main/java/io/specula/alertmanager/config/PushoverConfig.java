package io.specula.alertmanager.config;

import io.specula.model.config.PromDuration;
import io.specula.model.config.Secret;

/** {@code pushover_configs} entry: one Pushover message per notification. */
public final class PushoverConfig extends NotifierConfig {
    public Secret userKey;
    public String userKeyFile;
    public Secret token;
    public String tokenFile;
    public String title;
    public String message;
    public String url;
    public String urlTitle;
    public String device;
    public String sound;
    public String priority;
    public PromDuration retry;
    public PromDuration expire;
    public PromDuration ttl;
    public boolean html;
    public Boolean monospace;

    public PushoverConfig() {
        super(true);
    }

    @Override
    void validateOwn() throws ConfigValidationException {
        if (!set(userKey) && !set(userKeyFile)) {
            throw new ConfigValidationException("one of user_key or user_key_file must be configured");
        }
        exclusive(set(userKey), set(userKeyFile), "user_key & user_key_file");
        if (!set(token) && !set(tokenFile)) {
            throw new ConfigValidationException("one of token or token_file must be configured");
        }
        exclusive(set(token), set(tokenFile), "token & token_file");
        exclusive(html, Boolean.TRUE.equals(monospace), "monospace & html");
    }
}
