package io.specula.alertmanager.config;

/** {@code webex_configs} entry: a Markdown message to one Webex room, authorized by http_config. */
public final class WebexConfig extends NotifierConfig {
    public String apiUrl;
    public String roomId;
    public String message;

    public WebexConfig() {
        super(true);
    }

    @Override
    void validateOwn() throws ConfigValidationException {
        checkUrl(apiUrl);
        if (!set(roomId)) {
            throw new ConfigValidationException("missing room_id on webex_config");
        }
        if (httpConfig == null || httpConfig.authorization == null) {
            throw new ConfigValidationException("missing webex_configs.http_config.authorization");
        }
    }

    @Override
    void applyGlobal(GlobalConfig g) throws ConfigValidationException {
        super.applyGlobal(g);
        if (!set(apiUrl)) {
            apiUrl = g.webexApiUrl;
        }
    }
}
