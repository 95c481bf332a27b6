package io.specula.alertmanager.config;

import io.specula.alertmanager.labels.MatcherParseException;
import io.specula.alertmanager.labels.MatcherParser;
import io.specula.model.config.ConfigException;
import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.YamlConfigLoader;
import io.specula.model.labels.InvalidRegexException;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads alertmanager.yml: strict YAML binding, then the checks Alertmanager makes, in its
 * order and with its wording, then Specula's own refusal of integrations it cannot deliver
 * to yet. Errors are {@link ConfigException}s whose message starts with the file name.
 */
public final class AlertmanagerConfigLoader {
    private AlertmanagerConfigLoader() {}

    /** Loads, validates and refuses unsupported integrations: what the daemon runs. */
    public static AlertmanagerConfig load(Path file) throws ConfigException {
        AlertmanagerConfig c = loadAndValidate(file);
        refuseUnsupported(c, file.toString());
        return c;
    }

    /** Loads and validates as Alertmanager does, accepting every integration it knows. */
    public static AlertmanagerConfig loadAndValidate(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        AlertmanagerConfig c = parse(text, file.toString());
        Path dir = file.toAbsolutePath().getParent();
        if (c.templates != null) {
            List<String> resolved = new ArrayList<>();
            for (String t : c.templates) {
                resolved.add(Path.of(t).isAbsolute() || dir == null ? t : dir.resolve(t).toString());
            }
            c.templates = resolved;
        }
        return c;
    }

    /** Parses and validates text; {@code source} names it in errors. */
    public static AlertmanagerConfig parse(String text, String source) throws ConfigException {
        AlertmanagerConfig c = YamlConfigLoader.parse(text, source, AlertmanagerConfig.class);
        if (c == null) {
            // Alertmanager words an empty file differently from a file without a route.
            throw new ConfigException(source + ": no route provided in config");
        }
        c.original = text;
        try {
            validate(c);
        } catch (ConfigValidationException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        return c;
    }

    /** Refuses integrations Specula cannot deliver to yet, rather than dropping their alerts. */
    public static void refuseUnsupported(AlertmanagerConfig c, String source) throws ConfigException {
        for (ReceiverConfig r : c.receivers()) {
            for (OtherReceiverConfig o : r.others()) {
                throw new ConfigException(source + ": receiver \"" + r.name + "\": " + o.kind().key()
                        + " is not supported yet by Specula's Alertmanager (supported: webhook, email, slack,"
                        + " pagerduty, opsgenie, victorops, pushover, telegram, discord, webex, msteams and msteamsv2"
                        + " configs)");
            }
            List<HttpClientConfig> https = new ArrayList<>();
            r.webhooks().forEach(w -> https.add(w.httpConfig));
            r.notifiers().forEach(n -> https.add(n.httpConfig));
            for (HttpClientConfig h : https) {
                String what = h == null ? null
                        : h.oauth2 != null ? "http_config.oauth2"
                        : Boolean.TRUE.equals(h.proxyFromEnvironment) ? "http_config.proxy_from_environment"
                        : h.proxyConnectHeader != null && !h.proxyConnectHeader.isEmpty()
                                ? "http_config.proxy_connect_header" : null;
                if (what != null) {
                    throw new ConfigException(source + ": receiver \"" + r.name + "\": " + what
                            + " is not supported yet by Specula's Alertmanager");
                }
            }
            for (EmailConfig e : r.emails()) {
                if (e.threading != null) {
                    throw new ConfigException(source + ": receiver \"" + r.name
                            + "\": email_configs: threading is not supported yet by Specula's Alertmanager");
                }
            }
            for (SlackConfig sl : r.slacks()) {
                if (Boolean.TRUE.equals(sl.updateMessage)) {
                    throw new ConfigException(source + ": receiver \"" + r.name
                            + "\": slack_configs: update_message is not supported yet by Specula's Alertmanager");
                }
            }
        }
    }

    static void validate(AlertmanagerConfig c) throws ConfigValidationException {
        // Checks Alertmanager makes while decoding nested blocks come first.
        if (c.route != null) {
            validateRoute(c.route);
        }
        for (InhibitRuleConfig r : c.inhibitRules()) {
            validateInhibitRule(r);
        }
        for (ReceiverConfig r : c.receivers()) {
            if (r.name == null || r.name.isEmpty()) {
                throw new ConfigValidationException("missing name in receiver");
            }
            for (WebhookConfig w : r.webhooks()) {
                w.validate();
            }
            for (NotifierConfig n : r.notifiers()) {
                n.validateOwn();
            }
        }
        for (TimeIntervalConfig ti : nz(c.muteTimeIntervals)) {
            if (ti.name == null || ti.name.isEmpty()) {
                throw new ConfigValidationException("missing name in mute time interval");
            }
            compile(ti);
        }
        for (TimeIntervalConfig ti : nz(c.timeIntervals)) {
            if (ti.name == null || ti.name.isEmpty()) {
                throw new ConfigValidationException("missing name in time interval");
            }
            compile(ti);
        }

        if (c.global == null) {
            c.global = new GlobalConfig();
        }
        GlobalConfig g = c.global;
        exclusive(g.slackApiUrl != null && !g.slackApiUrl.isEmpty(), g.slackApiUrlFile, "slack_api_url & slack_api_url_file");
        exclusive(g.opsgenieApiKey != null && !g.opsgenieApiKey.isEmpty(), g.opsgenieApiKeyFile,
                "opsgenie_api_key & opsgenie_api_key_file");
        exclusive(g.victoropsApiKey != null && !g.victoropsApiKey.isEmpty(), g.victoropsApiKeyFile,
                "victorops_api_key & victorops_api_key_file");
        exclusive(g.smtpAuthPassword != null && !g.smtpAuthPassword.isEmpty(), g.smtpAuthPasswordFile,
                "smtp_auth_password & smtp_auth_password_file");
        exclusive(g.rocketchatToken != null, g.rocketchatTokenFile, "rocketchat_token & rocketchat_token_file");
        exclusive(g.rocketchatTokenId != null, g.rocketchatTokenIdFile, "rocketchat_token_id & rocketchat_token_id_file");
        exclusive(g.smtpAuthSecret != null && !g.smtpAuthSecret.isEmpty(), g.smtpAuthSecretFile,
                "smtp_auth_secret & smtp_auth_secret_file");
        if (g.httpConfig == null) {
            g.httpConfig = new HttpClientConfig();
        }
        HttpConfigChecks.validate(g.httpConfig);
        if (g.smtpSmarthost != null && !g.smtpSmarthost.isEmpty()) {
            EmailConfig.checkHostPort(g.smtpSmarthost);
        }

        Set<String> names = new HashSet<>();
        for (ReceiverConfig r : c.receivers()) {
            if (!names.add(r.name)) {
                throw new ConfigValidationException("notification config name \"" + r.name + "\" is not unique");
            }
            for (WebhookConfig w : r.webhooks()) {
                if (w.httpConfig == null) {
                    w.httpConfig = g.httpConfig;
                }
            }
            for (NotifierConfig n : r.notifiers()) {
                n.applyGlobal(g);
            }
            checkGlobalFallbacks(r, g);
        }
        if (c.route == null) {
            throw new ConfigValidationException("no routes provided");
        }
        RouteConfig root = c.route;
        if (root.receiver == null || root.receiver.isEmpty()) {
            throw new ConfigValidationException("root route must specify a default receiver");
        }
        if (notEmpty(root.match) || notEmpty(root.matchRe) || (root.matchers != null && !root.matchers.isEmpty())) {
            throw new ConfigValidationException("root route must not have any matchers");
        }
        if (root.muteTimeIntervals != null && !root.muteTimeIntervals.isEmpty()) {
            throw new ConfigValidationException("root route must not have any mute time intervals");
        }
        if (root.activeTimeIntervals != null && !root.activeTimeIntervals.isEmpty()) {
            throw new ConfigValidationException("root route must not have any active time intervals");
        }
        checkReceivers(root, names);
        Set<String> intervals = new HashSet<>();
        for (TimeIntervalConfig ti : nz(c.muteTimeIntervals)) {
            if (!intervals.add(ti.name)) {
                throw new ConfigValidationException("mute time interval \"" + ti.name + "\" is not unique");
            }
        }
        for (TimeIntervalConfig ti : nz(c.timeIntervals)) {
            if (!intervals.add(ti.name)) {
                throw new ConfigValidationException("time interval \"" + ti.name + "\" is not unique");
            }
        }
        checkTimeIntervals(root, intervals);
        if (root.continueMatching) {
            throw new ConfigValidationException("cannot have continue in root route");
        }
    }

    /** The not yet delivered integrations whose required settings may come from {@code global}. */
    private static void checkGlobalFallbacks(ReceiverConfig r, GlobalConfig g) throws ConfigValidationException {
        for (OtherReceiverConfig o : r.others()) {
            switch (o.kind()) {
                case WECHAT -> {
                    if (o.get("api_secret") == null && (g.wechatApiSecret == null || g.wechatApiSecret.isEmpty())) {
                        throw new ConfigValidationException("no global Wechat ApiSecret set");
                    }
                    if (o.get("corp_id") == null && (g.wechatApiCorpId == null || g.wechatApiCorpId.isEmpty())) {
                        throw new ConfigValidationException("no global Wechat CorpID set");
                    }
                }
                default -> { }
            }
        }
    }

    private static void validateRoute(RouteConfig r) throws ConfigValidationException {
        if (r.match != null) {
            for (String k : r.match.keySet()) {
                if (!MatcherParser.isValidLabelName(k)) {
                    throw new ConfigValidationException("invalid label name \"" + k + "\"");
                }
            }
        }
        r.groupByAll = false;
        List<String> groupBy = new ArrayList<>();
        if (r.groupBy != null) {
            for (String l : r.groupBy) {
                if (l.equals("...")) {
                    r.groupByAll = true;
                } else if (!MatcherParser.isValidLabelName(l)) {
                    throw new ConfigValidationException("invalid label name \"" + l + "\" in group_by list");
                } else {
                    groupBy.add(l);
                }
            }
        }
        if (!groupBy.isEmpty() && r.groupByAll) {
            throw new ConfigValidationException("cannot have wildcard group_by (`...`) and other labels at the same time");
        }
        Set<String> seen = new HashSet<>();
        for (String l : groupBy) {
            if (!seen.add(l)) {
                throw new ConfigValidationException("duplicated label \"" + l + "\" in group_by");
            }
        }
        if (r.groupInterval != null && r.groupInterval.isZero()) {
            throw new ConfigValidationException("group_interval cannot be zero");
        }
        if (r.repeatInterval != null && r.repeatInterval.isZero()) {
            throw new ConfigValidationException("repeat_interval cannot be zero");
        }
        r.compiledMatchers = compileMatchers(r.match, r.matchRe, r.matchers);
        for (RouteConfig child : r.children()) {
            validateRoute(child);
        }
    }

    private static void validateInhibitRule(InhibitRuleConfig r) throws ConfigValidationException {
        for (Map<String, String> m : java.util.Arrays.asList(r.sourceMatch, r.targetMatch)) {
            if (m != null) {
                for (String k : m.keySet()) {
                    if (!MatcherParser.isValidLabelName(k)) {
                        throw new ConfigValidationException("invalid label name \"" + k + "\"");
                    }
                }
            }
        }
        if (r.equal != null) {
            for (String l : r.equal) {
                if (!MatcherParser.isValidLabelName(l)) {
                    throw new ConfigValidationException("invalid label name \"" + l + "\" in equal list");
                }
            }
        }
        r.compiledSource = compileMatchers(r.sourceMatch, r.sourceMatchRe, r.sourceMatchers);
        r.compiledTarget = compileMatchers(r.targetMatch, r.targetMatchRe, r.targetMatchers);
    }

    private static List<Matcher> compileMatchers(Map<String, String> eq, Map<String, String> re, List<String> lines)
            throws ConfigValidationException {
        List<Matcher> out = new ArrayList<>();
        if (eq != null) {
            eq.forEach((k, v) -> out.add(Matcher.of(MatchType.EQUAL, k, v == null ? "" : v)));
        }
        if (re != null) {
            for (Map.Entry<String, String> e : re.entrySet()) {
                if (!MatcherParser.isValidLabelName(e.getKey())) {
                    throw new ConfigValidationException("invalid label name \"" + e.getKey() + "\"");
                }
                if (e.getValue() == null) {
                    throw new ConfigValidationException("invalid regexp value for \"" + e.getKey() + "\"");
                }
                try {
                    out.add(Matcher.of(MatchType.REGEX, e.getKey(), e.getValue()));
                } catch (InvalidRegexException ex) {
                    throw new ConfigValidationException(ex.getMessage());
                }
            }
        }
        if (lines != null) {
            for (String line : lines) {
                try {
                    out.addAll(MatcherParser.parseMatchers(line));
                } catch (MatcherParseException e) {
                    throw new ConfigValidationException(e.getMessage());
                }
            }
        }
        out.sort(MatcherParser::compare);
        return List.copyOf(out);
    }

    private static void compile(TimeIntervalConfig ti) throws ConfigValidationException {
        for (TimeInterval t : nz(ti.timeIntervals)) {
            t.compile();
        }
    }

    private static void checkReceivers(RouteConfig r, Set<String> names) throws ConfigValidationException {
        for (RouteConfig child : r.children()) {
            checkReceivers(child, names);
        }
        if (r.receiver != null && !r.receiver.isEmpty() && !names.contains(r.receiver)) {
            throw new ConfigValidationException("undefined receiver \"" + r.receiver + "\" used in route");
        }
    }

    private static void checkTimeIntervals(RouteConfig r, Set<String> names) throws ConfigValidationException {
        for (RouteConfig child : r.children()) {
            checkTimeIntervals(child, names);
        }
        for (String n : nz(r.activeTimeIntervals)) {
            if (!names.contains(n)) {
                throw new ConfigValidationException("undefined time interval \"" + n + "\" used in route");
            }
        }
        for (String n : nz(r.muteTimeIntervals)) {
            if (!names.contains(n)) {
                throw new ConfigValidationException("undefined time interval \"" + n + "\" used in route");
            }
        }
    }

    private static void exclusive(boolean inline, String file, String what) throws ConfigValidationException {
        if (inline && file != null && !file.isEmpty()) {
            throw new ConfigValidationException("at most one of " + what + " must be configured");
        }
    }

    private static boolean notEmpty(Map<?, ?> m) {
        return m != null && !m.isEmpty();
    }

    private static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }
}
