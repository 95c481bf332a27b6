package io.specula.alertmanager.config;

import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.Secret;

/**
 * What every integration entry shares: {@code send_resolved} (whose default differs per
 * integration, so each subclass sets it) and, for the HTTP ones, {@code http_config}, which
 * falls back to the global one during validation.
 */
public abstract class NotifierConfig {
    public boolean sendResolved;
    public HttpClientConfig httpConfig;

    NotifierConfig(boolean sendResolved) {
        this.sendResolved = sendResolved;
    }

    /** Checks Alertmanager makes while decoding the entry, before global defaults apply. */
    abstract void validateOwn() throws ConfigValidationException;

    /** Fills settings from {@code global} and checks those that may come from it. */
    void applyGlobal(GlobalConfig g) throws ConfigValidationException {
        if (httpConfig == null) {
            httpConfig = g.httpConfig;
        } else {
            HttpConfigChecks.validate(httpConfig);
        }
    }

    static boolean set(String s) {
        return s != null && !s.isEmpty();
    }

    static boolean set(Secret s) {
        return s != null && !s.isEmpty();
    }

    /** A URL that is given inline (checked, unless it is a printed {@code <secret>}). */
    static void checkUrl(Secret url) throws ConfigValidationException {
        if (set(url) && !url.reveal().equals(Secret.REDACTED)) {
            ConfigUrls.check(url.reveal());
        }
    }

    static void checkUrl(String url) throws ConfigValidationException {
        if (set(url)) {
            ConfigUrls.check(url);
        }
    }

    static void exclusive(boolean a, boolean b, String what) throws ConfigValidationException {
        if (a && b) {
            throw new ConfigValidationException("at most one of " + what + " must be configured");
        }
    }
}
