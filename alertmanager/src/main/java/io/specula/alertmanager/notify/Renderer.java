package io.specula.alertmanager.notify;

import io.specula.alertmanager.template.NotificationTemplates;
import io.specula.alertmanager.template.TemplateData;
import io.specula.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Renders an integration's configured texts for one notification. Like Alertmanager, a
 * failing template renders empty and the first error is kept; {@link #check} then fails
 * the notification (not retryable: the same template fails again).
 */
final class Renderer {
    private final NotificationTemplates templates;
    private final TemplateData data;
    private TemplateException first;

    Renderer(NotificationTemplates templates, NotificationData d) {
        this.templates = templates;
        this.data = TemplateData.of(d);
    }

    String text(String source) {
        try {
            return templates.text(source, data);
        } catch (TemplateException e) {
            remember(e);
            return "";
        }
    }

    String html(String source) {
        try {
            return templates.html(source, data);
        } catch (TemplateException e) {
            remember(e);
            return "";
        }
    }

    /** The configured text, or the integration's default when not configured. */
    String text(String configured, String fallback) {
        return text(configured == null ? fallback : configured);
    }

    private void remember(TemplateException e) {
        if (first == null) {
            first = e;
        }
    }

    void check(String integration) throws NotifyException {
        if (first != null) {
            throw new NotifyException(integration + ": failed to render template: " + first.getMessage(), false);
        }
    }

    /** Cuts {@code s} to {@code max} code points, the last being "…", as Alertmanager's Truncate does. */
    static String truncate(String s, int max) {
        int n = s.codePointCount(0, s.length());
        if (n <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** The group key's SHA-256 in hex: Alertmanager's dedup key / alias for a group. */
    static String groupKeyHash(String groupKey) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(groupKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
