package io.specula.alertmanager.silence;

/** A silence's state at a point in time, as the API names it. */
public enum SilenceState {
    PENDING("pending"),
    ACTIVE("active"),
    EXPIRED("expired");

    private final String apiName;

    SilenceState(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
