package io.specula.discovery.kubernetes;

import java.util.regex.Pattern;

/**
 * Syntax checks of Kubernetes label and field selectors, as Prometheus makes them when loading
 * {@code selectors} (the API server evaluates them; the client only passes them on).
 */
public final class Selectors {
    private Selectors() {}

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern LABEL_REQUIREMENT =
            Pattern.compile("^([^=!<>\\s(]+)\\s*(==|=|!=|>|<|in\\b|notin\\b)?\\s*(.*)$", Pattern.DOTALL);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /**
     * Checks a label selector: comma-separated {@code key}, {@code !key}, {@code key=v},
     * {@code key==v}, {@code key!=v}, {@code key in (a,b)}, {@code key notin (a,b)},
     * {@code key>n}, {@code key<n}.
     *
     * @throws IllegalArgumentException with a message in the style of apimachinery's parser
     */
    public static void parseLabel(String selector) {
        if (selector == null || selector.isBlank()) {
            return;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= selector.length(); i++) {
            char c = i < selector.length() ? selector.charAt(i) : ',';
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                labelRequirement(selector.substring(start, i).strip(), selector);
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unable to parse requirement: found unbalanced parentheses in '" + selector + "'");
        }
    }

    private static void labelRequirement(String r, String all) {
        if (r.isEmpty()) {
            throw new IllegalArgumentException("unable to parse requirement: found ',', expected: identifier");
        }
        if (r.startsWith("!")) {
            checkKey(r.substring(1).strip());
            return;
        }
        var m = LABEL_REQUIREMENT.matcher(r);
        if (!m.matches()) {
            throw new IllegalArgumentException("unable to parse requirement: '" + r + "' in '" + all + "'");
        }
        checkKey(m.group(1));
        String op = m.group(2) == null ? "" : m.group(2).strip();
        String rest = m.group(3).strip();
        switch (op) {
            case "" -> {
                if (!rest.isEmpty()) {
                    throw new IllegalArgumentException("unable to parse requirement: found '" + rest
                            + "', expected: '=', '!=', '==', 'in', notin'");
                }
            }
            case "=", "==", "!=" -> checkValue(rest);
            case ">", "<" -> {
                try {
                    Long.parseLong(rest);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");
                }
            }
            default -> {
                if (!rest.startsWith("(") || !rest.endsWith(")")) {
                    throw new IllegalArgumentException("unable to parse requirement: found '" + rest + "', expected: '('");
                }
                for (String v : rest.substring(1, rest.length() - 1).split(",", -1)) {
                    checkValue(v.strip());
                }
            }
        }
    }

    private static void checkKey(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                throw new IllegalArgumentException("unable to parse requirement: invalid label key \"" + key
                        + "\": prefix part must be a DNS-1123 subdomain");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("unable to parse requirement: invalid label key \"" + key
                    + "\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
    }

    private static void checkValue(String v) {
        if (v.length() > 63 || !NAME.matcher(v).matches()) {
            throw new IllegalArgumentException("unable to parse requirement: invalid label value: \"" + v
                    + "\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
    }

    /** Checks a field selector: comma-separated {@code key=v}, {@code key==v}, {@code key!=v}. */
    public static void parseField(String selector) {
        if (selector == null || selector.isBlank()) {
            return;
        }
        for (String term : splitUnescaped(selector)) {
            int ne = term.indexOf("!=");
            int eq = term.indexOf('=');
            if ((ne < 0 && eq < 0) || (ne < 0 ? eq : ne) == 0) {
                throw new IllegalArgumentException("invalid selector: '" + selector + "'; can't understand '" + term + "'");
            }
        }
    }

    private static java.util.List<String> splitUnescaped(String s) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
