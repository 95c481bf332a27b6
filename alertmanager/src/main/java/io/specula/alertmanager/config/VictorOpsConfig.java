package io.specula.alertmanager.config;

import io.specula.model.config.Secret;
import java.util.List;
import java.util.Map;

/** {@code victorops_configs} entry: Splunk On-Call's REST endpoint, one incident per group. */
public final class VictorOpsConfig extends NotifierConfig {
    private static final List<String> RESERVED = List.of("routing_key", "message_type", "state_message",
            "entity_display_name", "monitoring_tool", "entity_id", "entity_state");

    public Secret apiKey;
    public String apiKeyFile;
    public String apiUrl;
    public String routingKey;
    public String messageType;
    public String stateMessage;
    public String entityDisplayName;
    public String monitoringTool;
    public Map<String, String> customFields;

    public VictorOpsConfig() {
        super(true);
    }

    @Override
    void validateOwn() throws ConfigValidationException {
        checkUrl(apiUrl);
        if (!set(routingKey)) {
            throw new ConfigValidationException("missing Routing key in VictorOps config");
        }
        exclusive(set(apiKey), set(apiKeyFile), "api_key & api_key_file");
        for (String r : RESERVED) {
            if (customFields != null && customFields.containsKey(r)) {
                throw new ConfigValidationException("victorOps config contains custom field " + r
                        + " which cannot be used as it conflicts with the fixed/static fields");
            }
        }
    }

    @Override
    void applyGlobal(GlobalConfig g) throws ConfigValidationException {
        super.applyGlobal(g);
        if (!set(apiUrl)) {
            apiUrl = g.victoropsApiUrl;
        }
        if (!set(apiKey) && !set(apiKeyFile)) {
            if (!set(g.victoropsApiKey) && !set(g.victoropsApiKeyFile)) {
                throw new ConfigValidationException("no global VictorOps API Key set");
            }
            apiKey = g.victoropsApiKey;
            apiKeyFile = g.victoropsApiKeyFile;
        }
    }
}
