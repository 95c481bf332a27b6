package io.specula.alertmanager.config;

import io.specula.model.config.Secret;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code opsgenie_configs} entry: creates and closes OpsGenie alerts by group alias. */
public final class OpsgenieConfig extends NotifierConfig {
    private static final List<String> RESPONDER_TYPES = List.of("team", "teams", "user", "escalation", "schedule");

    public Secret apiKey;
    public String apiKeyFile;
    public String apiUrl;
    public String message;
    public String description;
    public String source;
    public Map<String, String> details;
    public String entity;
    public List<Responder> responders;
    public String actions;
    public String tags;
    public String note;
    public String priority;
    public Boolean updateAlerts;

    /** A team, user, escalation or schedule the alert goes to. */
    public static final class Responder {
        public String id;
        public String name;
        public String username;
        public String type;

        /** Go's {@code %v} of the responder struct, which Alertmanager's messages show. */
        @Override
        public String toString() {
            return "{" + nz(id) + " " + nz(name) + " " + nz(username) + " " + nz(type) + "}";
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }
    }

    public OpsgenieConfig() {
        super(true);
    }

    @Override
    void validateOwn() throws ConfigValidationException {
        checkUrl(apiUrl);
        exclusive(set(apiKey), set(apiKeyFile), "api_key & api_key_file");
        for (Responder r : responders == null ? List.<Responder>of() : responders) {
            if (!set(r.id) && !set(r.username) && !set(r.name)) {
                throw new ConfigValidationException(
                        "opsGenieConfig responder " + r + " has to have at least one of id, username or name specified");
            }
            String type = r.type == null ? "" : r.type;
            if (!type.contains("{{")) {
                r.type = type.toLowerCase(Locale.ROOT);
                if (!RESPONDER_TYPES.contains(r.type)) {
                    throw new ConfigValidationException("opsGenieConfig responder " + r
                            + " type does not match valid options ^(team|teams|user|escalation|schedule)$");
                }
            }
        }
    }

    @Override
    void applyGlobal(GlobalConfig g) throws ConfigValidationException {
        super.applyGlobal(g);
        if (!set(apiUrl)) {
            apiUrl = g.opsgenieApiUrl;
        }
        if (!apiUrl.endsWith("/")) {
            apiUrl = apiUrl + "/";
        }
        if (!set(apiKey) && !set(apiKeyFile)) {
            if (!set(g.opsgenieApiKey) && !set(g.opsgenieApiKeyFile)) {
                throw new ConfigValidationException("no global OpsGenie API Key set either inline or in a file");
            }
            apiKey = g.opsgenieApiKey;
            apiKeyFile = g.opsgenieApiKeyFile;
        }
    }
}
