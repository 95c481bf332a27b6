package io.specula.alertmanager.config;

import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.Secret;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code email_configs} entry: one mail per notification over SMTP. */
public final class EmailConfig extends NotifierConfig {
    public String to;
    public String from;
    public String hello;
    /** {@code host:port}; port 465 means implicit TLS, others plain with optional STARTTLS. */
    public String smarthost;
    public String authUsername;
    public Secret authPassword;
    public String authPasswordFile;
    public Secret authSecret;
    public String authSecretFile;
    public String authIdentity;
    public Map<String, String> headers;
    public String html;
    public String text;
    public Boolean requireTls;
    public HttpClientConfig.TlsConfig tlsConfig;
    /** Newer Alertmanagers' mail threading block; kept only to refuse it clearly. */
    public Object threading;

    public EmailConfig() {
        super(false);
    }

    @Override
    void validateOwn() throws ConfigValidationException {
        if (set(smarthost)) {
            checkHostPort(smarthost);
        }
        if (!set(to)) {
            throw new ConfigValidationException("missing to address in email config");
        }
        if (headers != null) {
            Map<String, String> normalized = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : headers.entrySet()) {
                String key = canonicalHeader(e.getKey());
                if (normalized.put(key, e.getValue()) != null) {
                    throw new ConfigValidationException("duplicate header \"" + key + "\" in email config");
                }
            }
            headers = normalized;
        }
    }

    @Override
    void applyGlobal(GlobalConfig g) throws ConfigValidationException {
        // Email has no http_config; only the SMTP settings fall back.
        if (!set(smarthost)) {
            if (!set(g.smtpSmarthost)) {
                throw new ConfigValidationException("no global SMTP smarthost set");
            }
            smarthost = g.smtpSmarthost;
        }
        if (!set(from)) {
            if (!set(g.smtpFrom)) {
                throw new ConfigValidationException("no global SMTP from set");
            }
            from = g.smtpFrom;
        }
        if (!set(hello)) {
            hello = g.smtpHello;
        }
        if (!set(authUsername)) {
            authUsername = g.smtpAuthUsername;
        }
        if (!set(authPassword) && !set(authPasswordFile)) {
            authPassword = g.smtpAuthPassword;
            authPasswordFile = g.smtpAuthPasswordFile;
        }
        if (!set(authSecret) && !set(authSecretFile)) {
            authSecret = g.smtpAuthSecret;
            authSecretFile = g.smtpAuthSecretFile;
        }
        if (!set(authIdentity)) {
            authIdentity = g.smtpAuthIdentity;
        }
        if (requireTls == null) {
            requireTls = g.smtpRequireTls;
        }
        if (tlsConfig == null) {
            tlsConfig = g.smtpTlsConfig;
        }
    }

    /** Go's net.SplitHostPort check, which Alertmanager's HostPort type applies. */
    static void checkHostPort(String hp) throws ConfigValidationException {
        int colon = hp.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigValidationException("address " + hp + ": missing port in address");
        }
        String host = hp.substring(0, colon);
        if (!host.startsWith("[") && host.contains(":")) {
            throw new ConfigValidationException("address " + hp + ": too many colons in address");
        }
    }

    /** Go's textproto.CanonicalMIMEHeaderKey: {@code content-type} becomes {@code Content-Type}. */
    static String canonicalHeader(String k) {
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c == ' ' || c > 127) {
                return k; // Go leaves keys with spaces or non-ASCII alone
            }
        }
        StringBuilder b = new StringBuilder(k.length());
        boolean upper = true;
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return b.toString();
    }

    /** The header value configured under {@code name} (canonical form), or null. */
    public String header(String name) {
        return headers == null ? null : headers.get(canonicalHeader(name.toLowerCase(Locale.ROOT)));
    }
}
