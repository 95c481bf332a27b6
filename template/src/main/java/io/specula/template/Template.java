package io.specula.template;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed Go text/template, with the set of named templates it can call
 * ({@code define}/{@code block}/{@code template}). Immutable and safe to execute from many
 * threads at once; the {@code with...} methods return modified copies sharing the parse
 * trees.
 *
 * <h2>Data model</h2>
 * Templates evaluate over plain Java values:
 * <ul>
 *   <li>{@code Map} (keys sorted in {@code range} and printing): {@code .key} looks keys up;
 *       a missing key gives Go's "no value" ({@code <no value>} when printed, false), or
 *       under {@link MissingKey#ZERO} the map's zero value, or an error under
 *       {@link MissingKey#ERROR}. Java maps carry no element type, so the zero value is
 *       {@code ""} when the map holds strings (Go's {@code map[string]string}), else no value.</li>
 *   <li>{@code List}, other collections and arrays are slices; {@code String}, {@link SafeHtml}
 *       and {@link SafeUrl} are strings; {@code Long}/{@code Integer} are Go ints,
 *       {@code Double} float64 (printed with Go's shortest {@code %v}); {@code Boolean};
 *       {@code null} is Go's nil ({@code <nil>}); {@link GoTime} and {@link GoDuration} stand
 *       for time.Time and time.Duration. Comparing an int with a float is an error, as in Go.</li>
 *   <li>Any other object (records, beans): {@code .Name} calls a public method named
 *       {@code Name}, {@code name}, {@code getName} or {@code isName}, with arguments when
 *       the template passes some ({@code .Remove (stringSlice "a")}); else reads a public
 *       field. Methods of a Map subclass take precedence over its keys, as methods of a named
 *       map type do in Go; JDK-declared methods are never exposed.</li>
 * </ul>
 *
 * <h2>HTML mode</h2>
 * {@link #withHtmlMode} approximates html/template for the places Prometheus consoles and
 * Alertmanager email bodies write values: every action's output is HTML-escaped as element
 * text ({@code <>&'"+} and NUL) unless it is {@link SafeHtml} or the pipeline ends with the
 * {@code html} builtin; missing values and nil print nothing; a {@code <} in the template
 * text that starts no tag is written as {@code &lt;} and HTML comments are dropped, as
 * html/template does. Not modelled: the other
 * contexts html/template tracks (attribute names, unquoted attributes, URLs in
 * {@code href}/{@code src}, JavaScript, CSS, comments), where it would filter or escape
 * differently; in quoted attribute values the text escaping is still safe.
 *
 * <h2>Fidelity</h2>
 * Output and error messages follow Go's text/template and fmt as built into Prometheus 2.42
 * and Alertmanager 0.25 (Go 1.19: {@code %05s} pads with zeros, error contexts are not
 * truncated); tests compare against Debian's {@code promtool} and {@code amtool}. Newer
 * language features ({@code range} over an int, {@code else with}) are accepted too. Known
 * differences: Java maps and lists carry no element type, so the zero value of a missing key
 * and the type names in messages are guessed from the contents (an empty map counts as
 * {@code map[string]string}); Prometheus's {@code toTime} returns {@code *time.Time}, ours a
 * {@link GoTime}, which shows in type names; records print Go's struct form
 * {@code {a b}}, other objects their {@code toString()}. Data classes standing for named Go
 * types (Alertmanager's {@code template.KV}) implement {@link GoTyped} to be named alike.
 *
 * <h2>Limits</h2>
 * Nested {@code template} calls are limited to {@value #DEFAULT_MAX_DEPTH} like Go's
 * {@code maxExecDepth}; a Java stack exhausted earlier fails the same way with a
 * {@link TemplateException}.
 */
public final class Template {
    /** Go's text/template execution depth limit. */
    public static final int DEFAULT_MAX_DEPTH = 100_000;

    /** Go's {@code missingkey} option. */
    public enum MissingKey {
        /** {@code missingkey=default} / {@code invalid}: prints {@code <no value>}. */
        DEFAULT,
        /** {@code missingkey=zero}: the map's zero value (Prometheus and Alertmanager use this). */
        ZERO,
        /** {@code missingkey=error}: execution stops with an error. */
        ERROR
    }

    private final String name;
    private final Map<String, Tree> trees;
    private final FunctionSet functions;
    private final MissingKey missingKey;
    private final boolean htmlMode;
    private final int maxDepth;

    private Template(String name, Map<String, Tree> trees, FunctionSet functions, MissingKey missingKey,
            boolean htmlMode, int maxDepth) {
        this.name = name;
        this.trees = trees;
        this.functions = functions;
        this.missingKey = missingKey;
        this.htmlMode = htmlMode;
        this.maxDepth = maxDepth;
    }

    /**
     * Parses {@code text} as the template {@code name}; the templates it defines join the set.
     *
     * @throws TemplateException a parse error, Go-shaped: {@code template: name:3: unexpected EOF}
     */
    public static Template parse(String name, String text, FunctionSet functions) throws TemplateException {
        Map<String, Tree> parsed = parseTrees(name, text, functions);
        return new Template(name, Collections.unmodifiableMap(parsed), functions, MissingKey.DEFAULT, false,
                DEFAULT_MAX_DEPTH);
    }

    private static Map<String, Tree> parseTrees(String name, String text, FunctionSet functions)
            throws TemplateException {
        try {
            return Parser.parse(name, text, functions::contains);
        } catch (StackOverflowError e) {
            throw new TemplateException("template: " + name + ": max expression depth exceeded");
        }
    }

    /**
     * Parses more text into this set, like Go's {@code t.New(name).Parse(text)}: its
     * definitions replace same-named ones, and the returned template executes {@code name}.
     * A text holding only definitions and white space leaves an existing {@code name} alone.
     */
    public Template parseMore(String name, String text) throws TemplateException {
        Map<String, Tree> parsed = parseTrees(name, text, functions);
        Map<String, Tree> merged = new LinkedHashMap<>(trees);
        for (Tree t : parsed.values()) {
            Tree old = merged.get(t.name());
            if (old != null && t.isEmpty() && t.name().equals(name) && !old.isEmpty()) {
                continue;
            }
            merged.put(t.name(), t);
        }
        return new Template(name, Collections.unmodifiableMap(merged), functions, missingKey, htmlMode, maxDepth);
    }

    /** The template of this set named {@code name}, or null. */
    public Template lookup(String name) {
        return trees.containsKey(name) ? new Template(name, trees, functions, missingKey, htmlMode, maxDepth) : null;
    }

    /** Names of all templates in the set. */
    public Set<String> templateNames() {
        return trees.keySet();
    }

    public String name() {
        return name;
    }

    public Template withMissingKey(MissingKey option) {
        return new Template(name, trees, functions, option, htmlMode, maxDepth);
    }

    public Template withHtmlMode(boolean html) {
        return new Template(name, trees, functions, missingKey, html, maxDepth);
    }

    public Template withMaxDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("max depth must be positive: " + depth);
        }
        return new Template(name, trees, functions, missingKey, htmlMode, depth);
    }

    /**
     * Binds other implementations of the functions, e.g. a per-evaluation {@code query}.
     *
     * @throws IllegalArgumentException if {@code other} lacks a name this set was parsed with
     */
    public Template withFunctions(FunctionSet other) {
        for (String f : functions.names()) {
            if (!other.contains(f)) {
                throw new IllegalArgumentException("function " + GoStrings.quote(f) + " missing from the new set");
            }
        }
        return new Template(name, trees, other, missingKey, htmlMode, maxDepth);
    }

    /** Executes this template, writing to {@code out}; output written before an error stays written. */
    public void execute(Object data, Appendable out) throws TemplateException, IOException {
        Tree t = trees.get(name);
        if (t == null) {
            throw new TemplateException("template: " + GoStrings.quote(name) + " is an incomplete or empty template");
        }
        run(t, data, out);
    }

    /** Executes the named template of this set, Go's {@code ExecuteTemplate}. */
    public void executeTemplate(String templateName, Object data, Appendable out) throws TemplateException, IOException {
        Tree t = trees.get(templateName);
        if (t == null) {
            throw new TemplateException("template: no template " + GoStrings.quote(templateName)
                    + " associated with template " + GoStrings.quote(name));
        }
        run(t, data, out);
    }

    public String executeToString(Object data) throws TemplateException {
        StringBuilder sb = new StringBuilder();
        try {
            execute(data, sb);
        } catch (IOException impossible) {
            throw new AssertionError(impossible);
        }
        return sb.toString();
    }

    private void run(Tree t, Object data, Appendable out) throws TemplateException, IOException {
        try {
            new Executor(this, out).execute(t, data);
        } catch (Executor.Failure f) {
            throw new TemplateException(f.getMessage(), f.line, f.column);
        }
    }

    Tree tree(String templateName) {
        return trees.get(templateName);
    }

    FunctionSet functions() {
        return functions;
    }

    MissingKey missingKey() {
        return missingKey;
    }

    boolean htmlMode() {
        return htmlMode;
    }

    int maxDepth() {
        return maxDepth;
    }
}
