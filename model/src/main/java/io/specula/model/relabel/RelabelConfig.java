package io.specula.model.relabel;

import io.specula.model.labels.InvalidRegexException;
import io.specula.model.labels.LabelNames;
import io.specula.model.labels.LabelNames.NameValidation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One {@code <relabel_config>} rule, with a field per YAML key and Prometheus's defaults:
 * {@code separator: ;}, {@code regex: (.*)}, {@code replacement: $1}, {@code action: replace}.
 *
 * <p>The class is a mutable bean so that a YAML binder can fill it (and report line and column
 * for bad values); the setters take what the YAML holds. A YAML {@code null} sets a string to
 * {@code ""} (not to the default), as in Prometheus, where {@code replacement:} with no value is
 * the empty replacement and {@code regex:} with no value the regex matching only {@code ""}.
 * {@code modulus} is an unsigned 64-bit number held in a {@code long}.
 *
 * <p>{@link #validate(NameValidation)} checks the rule with Prometheus's own error messages and
 * compiles it (regex, templates). A {@link Relabeler} only accepts validated rules, and a
 * validated rule no longer accepts setter calls, so once validated it is immutable and may be
 * shared between threads (publish it safely, e.g. through a final field or a volatile).
 */
public final class RelabelConfig {
    public static final String DEFAULT_SEPARATOR = ";";
    public static final String DEFAULT_REPLACEMENT = "$1";
    public static final String DEFAULT_ACTION = "replace";

    private List<String> sourceLabels; // null when the key is absent: labeldrop/labelkeep tell the two apart
    private String separator = DEFAULT_SEPARATOR;
    private String regex = Regex.DEFAULT_TEXT;
    // Prometheus rejects any regex written out for keepequal/dropequal, even "(.*)", because it
    // compares the compiled regex by identity with the default one; this flag plays that part.
    private boolean regexSet;
    private long modulus;
    private String targetLabel = "";
    private String replacement = DEFAULT_REPLACEMENT;
    private String action = DEFAULT_ACTION;

    private Compiled compiled; // set by validate()

    /** What the relabeler needs, fixed at validation. Final fields: safe to publish. */
    record Compiled(
            RelabelAction action,
            String[] sourceLabels,
            String separator,
            Regex regex,
            long modulus,
            String targetLabel,
            Template target,
            Template replacement,
            NameValidation nameValidation) {}

    public RelabelConfig() {}

    /** The source label names, or null when none were configured. */
    public List<String> getSourceLabels() {
        return sourceLabels;
    }

    /** Sets the source label names; null means "not configured" (a YAML null element becomes {@code ""}). */
    public void setSourceLabels(List<String> sourceLabels) {
        checkMutable();
        if (sourceLabels == null) {
            this.sourceLabels = null;
            return;
        }
        List<String> copy = new ArrayList<>(sourceLabels.size());
        for (String s : sourceLabels) {
            copy.add(s == null ? "" : s);
        }
        this.sourceLabels = Collections.unmodifiableList(copy);
    }

    public String getSeparator() {
        return separator;
    }

    public void setSeparator(String separator) {
        checkMutable();
        this.separator = orEmpty(separator);
    }

    /** The regex text as configured (without anchors). */
    public String getRegex() {
        return regex;
    }

    /** Sets the regex text; any call counts as "regex configured", as in Prometheus. */
    public void setRegex(String regex) {
        checkMutable();
        this.regex = orEmpty(regex);
        this.regexSet = true;
    }

    /** The modulus as an unsigned 64-bit value (see {@link Long#toUnsignedString(long)}). */
    public long getModulus() {
        return modulus;
    }

    /** Sets the modulus, read as unsigned: {@code -1L} stands for 2^64-1. */
    public void setModulus(long modulus) {
        checkMutable();
        this.modulus = modulus;
    }

    public String getTargetLabel() {
        return targetLabel;
    }

    public void setTargetLabel(String targetLabel) {
        checkMutable();
        this.targetLabel = orEmpty(targetLabel);
    }

    public String getReplacement() {
        return replacement;
    }

    public void setReplacement(String replacement) {
        checkMutable();
        this.replacement = orEmpty(replacement);
    }

    /** The action as configured, e.g. {@code "Replace"}; see {@link #action()} for the parsed one. */
    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        checkMutable();
        this.action = orEmpty(action);
    }

    /**
     * Whether {@link #validate} has succeeded (after which the setters throw). Not named like a
     * bean getter so that a YAML binder does not take it for a configuration key.
     */
    public boolean validated() {
        return compiled != null;
    }

    /**
     * The parsed action.
     *
     * @throws IllegalStateException before {@link #validate}
     */
    public RelabelAction action() {
        return compiled().action();
    }

    /**
     * The compiled regex.
     *
     * @throws IllegalStateException before {@link #validate}
     */
    public Regex compiledRegex() {
        return compiled().regex();
    }

    /**
     * The name validation the rule was validated for.
     *
     * @throws IllegalStateException before {@link #validate}
     */
    public NameValidation nameValidation() {
        return compiled().nameValidation();
    }

    /** Validates for UTF-8 label names, Prometheus 3's default; see {@link #validate(NameValidation)}. */
    public RelabelConfig validate() {
        return validate(NameValidation.UTF8);
    }

    /**
     * Checks the rule as Prometheus does when it loads a configuration and compiles it.
     *
     * <p>{@code scheme} is the scrape configuration's {@code metric_name_validation_scheme}; it
     * decides which target label names (and labelmap replacements) are valid, at load time and
     * again after expansion when the rule runs. Source label names are checked as UTF-8 names
     * whatever the scheme, as Prometheus 3 checks them while reading the YAML (Prometheus 2
     * required legacy names there). Validating again, for instance with another scheme, is allowed.
     *
     * @return this rule, now immutable
     * @throws InvalidRelabelConfigException with Prometheus's message for the first problem found
     */
    public RelabelConfig validate(NameValidation scheme) {
        Objects.requireNonNull(scheme, "scheme");
        // Problems Prometheus finds while decoding the YAML come first: action, names, regex.
        if (action.isEmpty()) {
            throw invalid("relabel action cannot be empty");
        }
        RelabelAction act = RelabelAction.fromYaml(action);
        if (act == null) {
            throw invalid("unknown relabel action " + quote(action));
        }
        String[] sources = sourceLabels == null ? new String[0] : sourceLabels.toArray(new String[0]);
        for (String s : sources) {
            if (!LabelNames.isValidUtf8Name(s)) {
                throw invalid(quote(s) + " is not a valid label name");
            }
        }
        Regex re;
        try {
            re = Regex.compile(regex);
        } catch (InvalidRegexException e) {
            throw new InvalidRelabelConfigException(e.getMessage(), e);
        }

        String name = act.yamlName();
        boolean setsTarget = switch (act) {
            case REPLACE, HASHMOD, LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> true;
            default -> false;
        };
        boolean plainTarget = switch (act) {
            case LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> true;
            default -> false;
        };
        if (act == RelabelAction.HASHMOD && modulus == 0) {
            throw invalid("relabel configuration for hashmod requires non-zero modulus");
        }
        if (setsTarget && targetLabel.isEmpty()) {
            throw invalid("relabel configuration for " + name + " action requires 'target_label' value");
        }
        if (act == RelabelAction.REPLACE) {
            boolean valid = targetLabel.indexOf('$') < 0
                    ? LabelNames.isValidLabelName(targetLabel, scheme)
                    : isValidNameWithVariables(targetLabel, scheme);
            if (!valid) {
                throw invalid(quote(targetLabel) + " is invalid 'target_label' for " + name + " action");
            }
        }
        if (plainTarget && !LabelNames.isValidLabelName(targetLabel, scheme)) {
            throw invalid(quote(targetLabel) + " is invalid 'target_label' for " + name + " action");
        }
        if (plainTarget && !replacement.equals(DEFAULT_REPLACEMENT)) {
            throw invalid("'replacement' can not be set for " + name + " action");
        }
        if (act == RelabelAction.LABELMAP && !isValidNameWithVariables(replacement, scheme)) {
            throw invalid(quote(replacement) + " is invalid 'replacement' for " + name + " action");
        }
        if (act == RelabelAction.HASHMOD && !LabelNames.isValidLabelName(targetLabel, scheme)) {
            throw invalid(quote(targetLabel) + " is invalid 'target_label' for " + name + " action");
        }
        if ((act == RelabelAction.KEEPEQUAL || act == RelabelAction.DROPEQUAL)
                && (regexSet || modulus != 0 || !separator.equals(DEFAULT_SEPARATOR)
                        || !replacement.equals(DEFAULT_REPLACEMENT))) {
            // Prometheus's message really mixes quotes and backticks.
            throw invalid(name + " action requires only 'source_labels' and `target_label`, and no other fields");
        }
        if ((act == RelabelAction.LABELDROP || act == RelabelAction.LABELKEEP)
                && (sourceLabels != null || !targetLabel.isEmpty() || modulus != 0
                        || !separator.equals(DEFAULT_SEPARATOR) || !replacement.equals(DEFAULT_REPLACEMENT))) {
            throw invalid(name + " action requires only 'regex', and no other fields");
        }

        Template target = act == RelabelAction.REPLACE ? Template.compile(targetLabel, re.pattern()) : null;
        Template repl = act == RelabelAction.REPLACE || act == RelabelAction.LABELMAP
                ? Template.compile(replacement, re.pattern())
                : null;
        compiled = new Compiled(act, sources, separator, re, modulus, targetLabel, target, repl, scheme);
        return this;
    }

    /**
     * A target label or labelmap replacement that may contain {@code $} references. With UTF-8
     * names anything non-empty goes; with legacy names it must be made of {@code [a-zA-Z0-9_]}
     * and references ({@code $1}, {@code ${1}}, {@code $name}, {@code ${name}} with word
     * characters only), and must not start with a digit.
     */
    static boolean isValidNameWithVariables(String s, NameValidation scheme) {
        if (scheme == NameValidation.UTF8) {
            return LabelNames.isValidUtf8Name(s);
        }
        int n = s.length();
        if (n == 0) {
            return false;
        }
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '$') {
                boolean brace = i + 1 < n && s.charAt(i + 1) == '{';
                int start = brace ? i + 2 : i + 1;
                int end = start;
                while (end < n && isWordChar(s.charAt(end))) {
                    end++;
                }
                if (end == start) {
                    return false;
                }
                if (brace) {
                    if (end >= n || s.charAt(end) != '}') {
                        return false;
                    }
                    end++;
                }
                i = end;
            } else if (isWordChar(c) && !(i == 0 && c >= '0' && c <= '9')) {
                i++;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    Compiled compiled() {
        Compiled c = compiled;
        if (c == null) {
            throw new IllegalStateException("relabel config used before validate(): " + this);
        }
        return c;
    }

    private void checkMutable() {
        if (compiled != null) {
            throw new IllegalStateException("relabel config is immutable once validated");
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static InvalidRelabelConfigException invalid(String message) {
        return new InvalidRelabelConfigException(message);
    }

    /** Go's {@code %q}. */
    private static String quote(String s) {
        return LabelNames.appendQuoted(new StringBuilder(s.length() + 2), s).toString();
    }

    /** A YAML flow mapping of the configured (not defaulted-away) fields, for logs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        if (sourceLabels != null) {
            sb.append("source_labels: [");
            for (int i = 0; i < sourceLabels.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                quoteYaml(sb, sourceLabels.get(i));
            }
            sb.append("], ");
        }
        sb.append("separator: ");
        quoteYaml(sb, separator).append(", regex: ");
        quoteYaml(sb, regex);
        if (modulus != 0) {
            sb.append(", modulus: ").append(Long.toUnsignedString(modulus));
        }
        if (!targetLabel.isEmpty()) {
            sb.append(", target_label: ");
            quoteYaml(sb, targetLabel);
        }
        sb.append(", replacement: ");
        quoteYaml(sb, replacement).append(", action: ");
        return quoteYaml(sb, action).append('}').toString();
    }

    private static StringBuilder quoteYaml(StringBuilder sb, String s) {
        return LabelNames.appendQuoted(sb, s); // a Go-quoted string is a valid double-quoted YAML scalar
    }
}
