package io.specula.rules;

/** The state of an alert or an alerting rule, as the API spells it. */
public enum AlertState {
    INACTIVE("inactive"), PENDING("pending"), FIRING("firing");

    public final String apiName;

    AlertState(String apiName) {
        this.apiName = apiName;
    }
}
