package io.specula.alertmanager.template;

import io.specula.template.AlertmanagerFunctions;
import io.specula.template.FunctionSet;
import io.specula.template.Template;
import io.specula.template.TemplateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The notification template set of one loaded config: Specula's built-in {@code default.tmpl}
 * (the standard names: {@code __subject}, {@code slack.default.title}, …) and then the
 * {@code templates:} files, which may redefine them; Alertmanager's function set;
 * {@code missingkey=zero}. Like Alertmanager's {@code ExecuteTextString}, each configured
 * text (e.g. a Slack {@code title}) is parsed as an extra template of the set and executed;
 * an empty text renders empty. Parsed texts are cached per set. Thread-safe.
 */
public final class NotificationTemplates {
    private static final String DEFAULT_NAME = "default.tmpl";
    private static final int MAX_CACHED = 512;

    private final Template text;
    private final Template html;
    private final Map<String, Template> textCache = new ConcurrentHashMap<>();
    private final Map<String, Template> htmlCache = new ConcurrentHashMap<>();

    private NotificationTemplates(Template base) {
        this.text = base;
        this.html = base.withHtmlMode(true);
    }

    /** Only the built-in templates, with {@code since} on the system clock. */
    public static NotificationTemplates defaults() {
        try {
            return load(List.of(), Clock.systemUTC());
        } catch (TemplateException e) {
            throw new IllegalStateException("built-in default.tmpl does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * The built-in templates followed by {@code files} (already glob-expanded), each parsed
     * under its base name, as Go's ParseFiles names them.
     *
     * @throws TemplateException a parse error in a user file (Go-shaped message) or an
     *     unreadable file ({@code open FILE: reason})
     */
    public static NotificationTemplates load(List<Path> files, Clock clock) throws TemplateException {
        FunctionSet functions = AlertmanagerFunctions.create(clock);
        Template t = Template.parse(DEFAULT_NAME, builtin(), functions).withMissingKey(Template.MissingKey.ZERO);
        for (Path f : files) {
            String body;
            try {
                body = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new TemplateException("open " + f + ": " + reason(e));
            }
            t = t.parseMore(f.getFileName().toString(), body);
        }
        return new NotificationTemplates(t);
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }

    private static String builtin() {
        try (InputStream in = NotificationTemplates.class.getResourceAsStream(DEFAULT_NAME)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULT_NAME + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renders {@code source} as text against {@code data}. */
    public String text(String source, Object data) throws TemplateException {
        return render(source, data, text, textCache);
    }

    /** Renders {@code source} as HTML (values escaped, {@code safeHtml} kept) against {@code data}. */
    public String html(String source, Object data) throws TemplateException {
        return render(source, data, html, htmlCache);
    }

    private static String render(String source, Object data, Template base, Map<String, Template> cache)
            throws TemplateException {
        if (source == null || source.isEmpty()) {
            return "";
        }
        Template t = cache.get(source);
        if (t == null) {
            t = base.parseMore("", source);
            if (cache.size() < MAX_CACHED) {
                cache.put(source, t);
            }
        }
        return t.executeToString(data);
    }

    /** Names of all templates in the set, built-in ones included. */
    public java.util.Set<String> names() {
        return text.templateNames();
    }
}
