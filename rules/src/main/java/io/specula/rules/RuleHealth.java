package io.specula.rules;

/** Outcome of a rule's last evaluation, as the API spells it. */
public enum RuleHealth {
    UNKNOWN("unknown"), OK("ok"), ERR("err");

    public final String apiName;

    RuleHealth(String apiName) {
        this.apiName = apiName;
    }
}
