package io.specula.alertmanager.config;

import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.PromDuration;
import io.specula.model.config.Secret;

/** The {@code global} section with Alertmanager's defaults. */
public final class GlobalConfig {
    public PromDuration resolveTimeout = PromDuration.ofMinutes(5);
    public HttpClientConfig httpConfig = new HttpClientConfig();
    public String jiraApiUrl;
    public String smtpFrom;
    public String smtpHello = "localhost";
    public String smtpSmarthost;
    public String smtpAuthUsername;
    public Secret smtpAuthPassword;
    public String smtpAuthPasswordFile;
    public Secret smtpAuthSecret;
    public String smtpAuthSecretFile;
    public String smtpAuthIdentity;
    public boolean smtpRequireTls = true;
    public HttpClientConfig.TlsConfig smtpTlsConfig;
    public Secret slackApiUrl;
    public String slackApiUrlFile;
    public String pagerdutyUrl = "https://events.pagerduty.com/v2/enqueue";
    public String opsgenieApiUrl = "https://api.opsgenie.com/";
    public Secret opsgenieApiKey;
    public String opsgenieApiKeyFile;
    public String wechatApiUrl = "https://qyapi.weixin.qq.com/cgi-bin/";
    public Secret wechatApiSecret;
    public String wechatApiCorpId;
    public String victoropsApiUrl = "https://alert.victorops.com/integrations/generic/20131114/alert/";
    public Secret victoropsApiKey;
    public String victoropsApiKeyFile;
    public String telegramApiUrl = "https://api.telegram.org";
    public String webexApiUrl = "https://webexapis.com/v1/messages";
    /** Alertmanager defaults this to https://open.rocket.chat/; left unset so the printed config stays readable by older amtools. */
    public String rocketchatApiUrl;
    public Secret rocketchatToken;
    public String rocketchatTokenFile;
    public Secret rocketchatTokenId;
    public String rocketchatTokenIdFile;
}
