package io.specula.alertmanager.notify;

import io.specula.alertmanager.config.AlertmanagerConfig;
import io.specula.alertmanager.config.EmailConfig;
import io.specula.alertmanager.config.OpsgenieConfig;
import io.specula.alertmanager.config.PagerdutyConfig;
import io.specula.alertmanager.config.PushoverConfig;
import io.specula.alertmanager.config.ReceiverConfig;
import io.specula.alertmanager.config.SlackConfig;
import io.specula.alertmanager.config.TelegramConfig;
import io.specula.alertmanager.config.VictorOpsConfig;
import io.specula.alertmanager.config.WebexConfig;
import io.specula.alertmanager.config.WebhookConfig;
import io.specula.alertmanager.config.WebhookUrlConfig;
import io.specula.alertmanager.template.NotificationTemplates;
import io.specula.model.config.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds each receiver's integrations from a validated config, in Alertmanager's order. */
public final class Integrations {
    private Integrations() {}

    /**
     * @throws ConfigException when an integration's TLS settings cannot be used
     */
    public static Map<String, List<Integration>> build(AlertmanagerConfig c, NotificationTemplates templates,
            HttpTransport transport) throws ConfigException {
        Map<String, List<Integration>> out = new HashMap<>();
        for (ReceiverConfig r : c.receivers()) {
            out.put(r.name, forReceiver(r, templates, transport));
        }
        return out;
    }

    static List<Integration> forReceiver(ReceiverConfig r, NotificationTemplates t, HttpTransport transport)
            throws ConfigException {
        List<Integration> list = new ArrayList<>();
        int i = 0;
        for (WebhookConfig w : r.webhooks()) {
            list.add(new WebhookIntegration(w, i++, transport.clientFor(w.httpConfig)));
        }
        i = 0;
        for (EmailConfig e : r.emails()) {
            list.add(new EmailIntegration(e, i++, t));
        }
        i = 0;
        for (PagerdutyConfig p : r.pagerduties()) {
            list.add(new PagerdutyIntegration(p, i++, t, transport.clientFor(p.httpConfig), p.urlOnEntry));
        }
        i = 0;
        for (SlackConfig s : r.slacks()) {
            list.add(new SlackIntegration(s, i++, t, transport.clientFor(s.httpConfig)));
        }
        i = 0;
        for (OpsgenieConfig o : r.opsgenies()) {
            list.add(new OpsgenieIntegration(o, i++, t, transport.clientFor(o.httpConfig)));
        }
        i = 0;
        for (VictorOpsConfig v : r.victorops()) {
            list.add(new VictorOpsIntegration(v, i++, t, transport.clientFor(v.httpConfig)));
        }
        i = 0;
        for (PushoverConfig p : r.pushovers()) {
            list.add(new PushoverIntegration(p, i++, t, transport.clientFor(p.httpConfig), PushoverIntegration.API_URL));
        }
        i = 0;
        for (TelegramConfig tg : r.telegrams()) {
            list.add(new TelegramIntegration(tg, i++, t, transport.clientFor(tg.httpConfig)));
        }
        i = 0;
        for (WebhookUrlConfig.Discord d : r.discords()) {
            list.add(new WebhookUrlIntegration("discord", d, i++, t, transport.clientFor(d.httpConfig)));
        }
        i = 0;
        for (WebexConfig w : r.webexes()) {
            list.add(new WebexIntegration(w, i++, t, transport.clientFor(w.httpConfig)));
        }
        i = 0;
        for (WebhookUrlConfig.MsTeams m : r.msteams()) {
            list.add(new WebhookUrlIntegration("msteams", m, i++, t, transport.clientFor(m.httpConfig)));
        }
        i = 0;
        for (WebhookUrlConfig.MsTeamsV2 m : r.msteamsV2()) {
            list.add(new WebhookUrlIntegration("msteamsv2", m, i++, t, transport.clientFor(m.httpConfig)));
        }
        return list;
    }
}
