package io.specula.model.relabel;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code replacement} or {@code target_label} template in the syntax of Go's
 * {@code regexp.Regexp.Expand}, resolved against one regex up front so that expanding it for a
 * series only copies text.
 *
 * <p>The syntax, as Go defines it:
 * <ul>
 *   <li>{@code $$} is a literal {@code $};
 *   <li>{@code $name} and {@code ${name}} refer to a group, where a name is the longest run of
 *       Unicode letters, digits and {@code _} — so {@code $1x} is the group named {@code 1x},
 *       not group 1 followed by {@code x}; write {@code ${1}x} for that;
 *   <li>a name of ASCII digits without a leading zero (and below 10^9) is a group number,
 *       anything else is looked up among the named groups;
 *   <li>a group that does not exist, or did not take part in the match, expands to nothing;
 *   <li>a {@code $} not followed by a valid reference (a {@code $} at the end,
 *       <code>${}</code>, <code>${x</code> without its closing brace, {@code $-}) is copied
 *       literally.
 * </ul>
 * Immutable and thread-safe.
 */
final class Template {
    private final String source;
    // The expansion is literals[0] + group(refs[0]) + literals[1] + ... + literals[refs.length].
    private final String[] literals;
    private final int[] refs; // group numbers, all valid for the regex
    private final String constant; // the expansion when there are no references, else null

    private Template(String source, String[] literals, int[] refs) {
        this.source = source;
        this.literals = literals;
        this.refs = refs;
        this.constant = refs.length == 0 ? literals[0] : null;
    }

    /** Parses {@code template}, resolving group names and numbers against {@code pattern}. */
    static Template compile(String template, Pattern pattern) {
        int groupCount = pattern.groupCount();
        Map<String, Integer> named = pattern.namedGroups();
        List<String> lits = new ArrayList<>();
        List<Integer> refs = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int n = template.length();
        int i = 0;
        while (true) {
            int dollar = template.indexOf('$', i);
            if (dollar < 0) {
                lit.append(template, i, n);
                break;
            }
            lit.append(template, i, dollar);
            i = dollar + 1;
            if (i < n && template.charAt(i) == '$') {
                lit.append('$');
                i++;
                continue;
            }
            int p = i;
            boolean brace = p < n && template.charAt(p) == '{';
            if (brace) {
                p++;
            }
            int nameStart = p;
            while (p < n) {
                int cp = template.codePointAt(p);
                if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
                    break;
                }
                p += Character.charCount(cp);
            }
            int nameEnd = p;
            if (nameEnd == nameStart || (brace && (p >= n || template.charAt(p) != '}'))) {
                lit.append('$'); // malformed: the '$' is text, scanning resumes right after it
                continue;
            }
            i = brace ? p + 1 : p;
            int group = resolve(template.substring(nameStart, nameEnd), groupCount, named);
            if (group >= 0) { // a reference that can never match expands to nothing: drop it
                lits.add(lit.toString());
                lit.setLength(0);
                refs.add(group);
            }
        }
        lits.add(lit.toString());
        int[] r = new int[refs.size()];
        for (int k = 0; k < r.length; k++) {
            r[k] = refs.get(k);
        }
        return new Template(template, lits.toArray(new String[0]), r);
    }

    private static int resolve(String name, int groupCount, Map<String, Integer> named) {
        int num = 0;
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c < '0' || c > '9' || num >= 100_000_000) {
                num = -1;
                break;
            }
            num = num * 10 + (c - '0');
        }
        if (name.length() > 1 && name.charAt(0) == '0') {
            num = -1; // "01" is a name, not group 1
        }
        if (num >= 0) {
            return num <= groupCount ? num : -1;
        }
        Integer g = named.get(name);
        return g == null ? -1 : g;
    }

    /** The template text as configured. */
    String source() {
        return source;
    }

    /** The expansion when the template has no group references, else null. */
    String constant() {
        return constant;
    }

    /**
     * Appends the expansion for a match of {@code src}. {@code m} holds the match; null means the
     * regex was {@code (.*)}, whose groups 0 and 1 both span all of {@code src}.
     */
    void expand(StringBuilder out, String src, com.google.re2j.Matcher m) {
        out.append(literals[0]);
        for (int k = 0; k < refs.length; k++) {
            if (m == null) {
                out.append(src); // only groups 0 and 1 exist in (.*), and both span all of src
            } else {
                int g = refs[k];
                int start = m.start(g);
                if (start >= 0) { // -1: the group did not take part in the match
                    out.append(src, start, m.end(g));
                }
            }
            out.append(literals[k + 1]);
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
