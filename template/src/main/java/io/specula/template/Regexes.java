package io.specula.template;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Go {@code regexp} operations for template functions, over RE2J (Go's syntax and linear
 * time). Compiled patterns are cached: templates call {@code match}/{@code reReplaceAll} with
 * the same literal patterns on every evaluation.
 */
final class Regexes {
    private static final int MAX_CACHED = 1024;
    private static final ConcurrentHashMap<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private Regexes() {}

    static Pattern compile(String pattern) {
        Pattern p = CACHE.get(pattern);
        if (p != null) {
            return p;
        }
        try {
            p = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException(m.startsWith("error parsing regexp") ? m : "error parsing regexp: " + m);
        }
        if (CACHE.size() >= MAX_CACHED) {
            CACHE.clear(); // a crude bound; real templates use a handful of patterns
        }
        CACHE.put(pattern, p);
        return p;
    }

    /** Go's {@code regexp.MatchString}: an unanchored search. */
    static boolean match(String pattern, String s) {
        return compile(pattern).matcher(s).find();
    }

    /**
     * Go's {@code Regexp.ReplaceAllString}: {@code $1}, {@code $name} and {@code ${name}} in
     * the replacement expand to groups (unknown ones to nothing, {@code $$} to {@code $}); an
     * empty match right after the previous match is skipped.
     */
    static String replaceAll(String pattern, String repl, String src) {
        Pattern p = compile(pattern);
        Matcher m = p.matcher(src);
        StringBuilder b = new StringBuilder(src.length() + 16);
        int copied = 0;
        int lastMatchEnd = -1;
        int searchFrom = 0;
        while (searchFrom <= src.length() && m.find(searchFrom)) {
            int start = m.start();
            int end = m.end();
            if (start == end && start == lastMatchEnd) {
                // Go never reports an empty match adjacent to the previous match.
                searchFrom = start + (start < src.length() ? Character.charCount(src.codePointAt(start)) : 1);
                continue;
            }
            b.append(src, copied, start);
            expand(b, repl, m);
            copied = end;
            lastMatchEnd = end;
            searchFrom = end > start ? end : end + (end < src.length() ? Character.charCount(src.codePointAt(end)) : 1);
        }
        b.append(src, copied, src.length());
        return b.toString();
    }

    private static void expand(StringBuilder b, String template, Matcher m) {
        int i = 0;
        int n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= n) {
                b.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                b.append('$');
                i += 2;
                continue;
            }
            String name;
            int after;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                name = close < 0 ? "" : template.substring(i + 2, close);
                after = close + 1;
                if (close < 0 || name.isEmpty() || !isName(name)) {
                    b.append('$');
                    i++;
                    continue;
                }
            } else {
                int j = i + 1;
                while (j < n && isNameChar(template.charAt(j))) {
                    j++;
                }
                if (j == i + 1) {
                    b.append('$');
                    i++;
                    continue;
                }
                name = template.substring(i + 1, j);
                after = j;
            }
            b.append(group(m, name));
            i = after;
        }
    }

    private static String group(Matcher m, String name) {
        String g = null;
        try {
            if (name.chars().allMatch(Character::isDigit)) {
                int idx = name.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(name);
                if (idx <= m.groupCount()) {
                    g = m.group(idx);
                }
            } else {
                g = m.group(name);
            }
        } catch (RuntimeException unknownGroup) {
            g = null;
        }
        return g == null ? "" : g;
    }

    private static boolean isName(String s) {
        return s.chars().allMatch(c -> isNameChar((char) c));
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
