package io.specula.alertmanager.config;

import java.util.ArrayList;
import java.util.List;

/** A {@code receivers} entry: a name and its integrations. */
public final class ReceiverConfig {
    public String name;
    public List<WebhookConfig> webhookConfigs;
    public List<OtherReceiverConfig.Email> emailConfigs;
    public List<OtherReceiverConfig.Slack> slackConfigs;
    public List<OtherReceiverConfig.Pagerduty> pagerdutyConfigs;
    public List<OtherReceiverConfig.Opsgenie> opsgenieConfigs;
    public List<OtherReceiverConfig.VictorOps> victoropsConfigs;
    public List<OtherReceiverConfig.Pushover> pushoverConfigs;
    public List<OtherReceiverConfig.Sns> snsConfigs;
    public List<OtherReceiverConfig.Telegram> telegramConfigs;
    public List<OtherReceiverConfig.Discord> discordConfigs;
    public List<OtherReceiverConfig.Webex> webexConfigs;
    public List<OtherReceiverConfig.MsTeams> msteamsConfigs;
    public List<OtherReceiverConfig.MsTeamsV2> msteamsv2Configs;
    public List<OtherReceiverConfig.Wechat> wechatConfigs;
    public List<OtherReceiverConfig.Jira> jiraConfigs;
    public List<OtherReceiverConfig.Rocketchat> rocketchatConfigs;
    public List<OtherReceiverConfig.Incidentio> incidentioConfigs;
    public List<OtherReceiverConfig.Mattermost> mattermostConfigs;

    /** All integrations other than webhooks, in declaration order. */
    public List<OtherReceiverConfig> others() {
        List<OtherReceiverConfig> out = new ArrayList<>();
        for (List<? extends OtherReceiverConfig> l : List.of(
                nz(emailConfigs), nz(slackConfigs), nz(pagerdutyConfigs), nz(opsgenieConfigs), nz(victoropsConfigs),
                nz(pushoverConfigs), nz(snsConfigs), nz(telegramConfigs), nz(discordConfigs), nz(webexConfigs),
                nz(msteamsConfigs), nz(msteamsv2Configs), nz(wechatConfigs), nz(jiraConfigs), nz(rocketchatConfigs),
                nz(incidentioConfigs), nz(mattermostConfigs))) {
            out.addAll(l);
        }
        return out;
    }

    public List<WebhookConfig> webhooks() {
        return nz(webhookConfigs);
    }

    private static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }
}
