package io.specula.alertmanager.labels;

/** A matcher string that does not parse; the message is Alertmanager's wording. */
public final class MatcherParseException extends Exception {
    public MatcherParseException(String message) {
        super(message);
    }
}
