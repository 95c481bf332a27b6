package io.specula.alertmanager.config;

import java.net.URI;
import java.net.URISyntaxException;

/** URL checks Alertmanager applies to every URL in its config: http(s) with a host. */
final class ConfigUrls {
    private ConfigUrls() {}

    static URI check(String s) throws ConfigValidationException {
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw new ConfigValidationException("parse \"" + s + "\": " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigValidationException("unsupported scheme \"" + scheme + "\" for URL");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new ConfigValidationException("missing host for URL");
        }
        return u;
    }
}
