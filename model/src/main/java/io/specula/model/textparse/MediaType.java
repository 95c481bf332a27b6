package io.specula.model.textparse;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The media type of a Content-Type header, parsed with the rules (and error messages) of Go's
 * {@code mime.ParseMediaType}, which decide in Prometheus whether a header is usable at all:
 * a type token, optionally a slash and a subtype token, then {@code ; key=value} parameters
 * (values as tokens or quoted strings), with a trailing semicolon allowed and a repeated
 * parameter with a different value refused. Stateless.
 */
final class MediaType {
    private MediaType() {}

    /** Thrown with Go's message, e.g. "mime: expected token after slash". */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /** The lower-cased media type ("text/plain") of {@code v}. */
    static String parse(String v) throws Invalid {
        int semi = v.indexOf(';');
        String base = semi < 0 ? v : v.substring(0, semi);
        String mediaType = base.toLowerCase(Locale.ROOT).strip();
        checkType(mediaType);
        Map<String, String> params = new HashMap<>();
        String rest = v.substring(base.length());
        while (!rest.isEmpty()) {
            rest = rest.stripLeading();
            if (rest.isEmpty()) {
                break;
            }
            String[] kv = param(rest);
            if (kv == null) {
                if (rest.strip().equals(";")) {
                    break; // a trailing semicolon is not an error
                }
                throw new Invalid("mime: invalid media parameter");
            }
            String old = params.putIfAbsent(kv[0], kv[1]);
            if (old != null && !old.equals(kv[1])) {
                throw new Invalid("mime: duplicate parameter name");
            }
            rest = kv[2];
        }
        return mediaType;
    }

    private static void checkType(String s) throws Invalid {
        int t = tokenEnd(s, 0);
        if (t == 0) {
            throw new Invalid("mime: no media type");
        }
        if (t == s.length()) {
            return;
        }
        if (s.charAt(t) != '/') {
            throw new Invalid("mime: expected slash after first token");
        }
        int st = tokenEnd(s, t + 1);
        if (st == t + 1) {
            throw new Invalid("mime: expected token after slash");
        }
        if (st != s.length()) {
            throw new Invalid("mime: unexpected content after media subtype");
        }
    }

    /** {key, value, rest} of the parameter that {@code v} starts with, or null. */
    private static String[] param(String v) {
        String rest = v.stripLeading();
        if (!rest.startsWith(";")) {
            return null;
        }
        rest = rest.substring(1).stripLeading();
        int k = tokenEnd(rest, 0);
        if (k == 0) {
            return null;
        }
        String key = rest.substring(0, k).toLowerCase(Locale.ROOT);
        rest = rest.substring(k).stripLeading();
        if (!rest.startsWith("=")) {
            return null;
        }
        rest = rest.substring(1).stripLeading();
        if (rest.isEmpty()) {
            return null;
        }
        if (rest.charAt(0) != '"') {
            int e = tokenEnd(rest, 0);
            if (e == 0) {
                return null;
            }
            return new String[] {key, rest.substring(0, e), rest.substring(e)};
        }
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '"') {
                return new String[] {key, value.toString(), rest.substring(i + 1)};
            }
            if (c == '\\' && i + 1 < rest.length() && isSpecial(rest.charAt(i + 1))) {
                value.append(rest.charAt(++i));
                continue;
            }
            if (c == '\r' || c == '\n') {
                return null;
            }
            value.append(c);
        }
        return null; // no closing quote
    }

    private static int tokenEnd(String s, int from) {
        int i = from;
        while (i < s.length() && isTokenChar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7F && !isSpecial(c);
    }

    private static boolean isSpecial(char c) {
        return "()<>@,;:\\\"/[]?=".indexOf(c) >= 0;
    }
}
