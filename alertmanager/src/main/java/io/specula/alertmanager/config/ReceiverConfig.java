package io.specula.alertmanager.config;

import java.util.ArrayList;
import java.util.List;

/** A {@code receivers} entry: a name and its integrations. */
public final class ReceiverConfig {
    public String name;
    public List<WebhookConfig> webhookConfigs;
    public List<EmailConfig> emailConfigs;
    public List<SlackConfig> slackConfigs;
    public List<PagerdutyConfig> pagerdutyConfigs;
    public List<OpsgenieConfig> opsgenieConfigs;
    public List<VictorOpsConfig> victoropsConfigs;
    public List<PushoverConfig> pushoverConfigs;
    public List<OtherReceiverConfig.Sns> snsConfigs;
    public List<TelegramConfig> telegramConfigs;
    public List<WebhookUrlConfig.Discord> discordConfigs;
    public List<WebexConfig> webexConfigs;
    public List<WebhookUrlConfig.MsTeams> msteamsConfigs;
    public List<WebhookUrlConfig.MsTeamsV2> msteamsv2Configs;
    public List<OtherReceiverConfig.Wechat> wechatConfigs;
    public List<OtherReceiverConfig.Jira> jiraConfigs;
    public List<OtherReceiverConfig.Rocketchat> rocketchatConfigs;
    public List<OtherReceiverConfig.Incidentio> incidentioConfigs;
    public List<OtherReceiverConfig.Mattermost> mattermostConfigs;

    /** The integrations Specula does not deliver to yet, in declaration order. */
    public List<OtherReceiverConfig> others() {
        List<OtherReceiverConfig> out = new ArrayList<>();
        for (List<? extends OtherReceiverConfig> l : List.of(nz(snsConfigs), nz(wechatConfigs), nz(jiraConfigs),
                nz(rocketchatConfigs), nz(incidentioConfigs), nz(mattermostConfigs))) {
            out.addAll(l);
        }
        return out;
    }

    /**
     * The typed integrations other than webhooks, in the order Alertmanager checks them
     * against the global settings.
     */
    public List<NotifierConfig> notifiers() {
        List<NotifierConfig> out = new ArrayList<>();
        out.addAll(nz(emailConfigs));
        out.addAll(nz(slackConfigs));
        out.addAll(nz(pagerdutyConfigs));
        out.addAll(nz(opsgenieConfigs));
        out.addAll(nz(victoropsConfigs));
        out.addAll(nz(pushoverConfigs));
        out.addAll(nz(telegramConfigs));
        out.addAll(nz(discordConfigs));
        out.addAll(nz(webexConfigs));
        out.addAll(nz(msteamsConfigs));
        out.addAll(nz(msteamsv2Configs));
        return out;
    }

    public List<EmailConfig> emails() {
        return nz(emailConfigs);
    }

    public List<SlackConfig> slacks() {
        return nz(slackConfigs);
    }

    public List<PagerdutyConfig> pagerduties() {
        return nz(pagerdutyConfigs);
    }

    public List<OpsgenieConfig> opsgenies() {
        return nz(opsgenieConfigs);
    }

    public List<VictorOpsConfig> victorops() {
        return nz(victoropsConfigs);
    }

    public List<PushoverConfig> pushovers() {
        return nz(pushoverConfigs);
    }

    public List<WebexConfig> webexes() {
        return nz(webexConfigs);
    }

    public List<TelegramConfig> telegrams() {
        return nz(telegramConfigs);
    }

    public List<WebhookUrlConfig.Discord> discords() {
        return nz(discordConfigs);
    }

    public List<WebhookUrlConfig.MsTeams> msteams() {
        return nz(msteamsConfigs);
    }

    public List<WebhookUrlConfig.MsTeamsV2> msteamsV2() {
        return nz(msteamsv2Configs);
    }

    public List<WebhookConfig> webhooks() {
        return nz(webhookConfigs);
    }

    private static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }
}
