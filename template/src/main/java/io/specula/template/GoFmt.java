package io.specula.template;

import io.specula.model.exposition.GoFloat;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Go's {@code fmt.Sprint}, {@code Sprintln} and {@code Sprintf} over template values, with
 * Go's verbs, flags, width and precision and its in-band error forms
 * ({@code %!d(string=x)}, {@code %!s(MISSING)}, {@code %!(EXTRA int=1)}).
 *
 * <p>Float verbs round the exact binary value half-to-even, as Go's strconv does, via
 * BigDecimal; {@code %v} and precision-less {@code %g} use the shortest round-trip digits.
 */
final class GoFmt {
    private GoFmt() {}

    static String sprint(Object[] args) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            if (i > 0 && !isStringKind(args[i]) && !isStringKind(args[i - 1])) {
                b.append(' ');
            }
            Values.print(b, args[i]);
        }
        return b.toString();
    }

    static String sprintln(Object[] args) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                b.append(' ');
            }
            Values.print(b, args[i]);
        }
        return b.append('\n').toString();
    }

    private static boolean isStringKind(Object v) {
        return v instanceof String || v instanceof SafeHtml || v instanceof SafeUrl;
    }

    /** One directive's flags, width and precision. */
    private static final class Spec {
        boolean minus;
        boolean plus;
        boolean sharp;
        boolean space;
        boolean zero;
        boolean sharpV; // %#v: Go syntax; '#' on other verbs stays in sharp
        int width = -1;
        int prec = -1;
    }

    /** Go ignores widths and precisions above a million. */
    private static final int MAX_NUM = 1_000_000;

    private static int parseNum(String format, int start, int end) {
        if (end - start > 7) {
            return -1;
        }
        int v = Integer.parseInt(format, start, end, 10);
        return v > MAX_NUM ? -1 : v;
    }

    static String sprintf(String format, Object[] args) {
        StringBuilder b = new StringBuilder(format.length() + 16);
        int argNum = 0;
        int n = format.length();
        int i = 0;
        while (i < n) {
            int pct = format.indexOf('%', i);
            if (pct < 0) {
                b.append(format, i, n);
                break;
            }
            b.append(format, i, pct);
            i = pct + 1;
            Spec s = new Spec();
            flags:
            while (i < n) {
                switch (format.charAt(i)) {
                    case '-' -> {
                        s.minus = true;
                        s.zero = false;
                    }
                    case '+' -> s.plus = true;
                    case '#' -> s.sharp = true;
                    case ' ' -> s.space = true;
                    case '0' -> s.zero = !s.minus;
                    default -> {
                        break flags;
                    }
                }
                i++;
            }
            if (i < n && format.charAt(i) == '*') {
                i++;
                if (argNum < args.length && Values.isInt(args[argNum])) {
                    long w = Values.intValue(args[argNum++]);
                    s.width = Math.abs(w) > MAX_NUM ? 0 : (int) w;
                    if (s.width < 0) {
                        s.minus = true;
                        s.zero = false;
                        s.width = -s.width;
                    }
                } else {
                    argNum++;
                    b.append("%!(BADWIDTH)");
                }
            } else {
                int start = i;
                while (i < n && format.charAt(i) >= '0' && format.charAt(i) <= '9') {
                    i++;
                }
                if (i > start) {
                    s.width = parseNum(format, start, i); // -1 (absent) when too large, as in Go
                }
            }
            if (i < n && format.charAt(i) == '.') {
                i++;
                if (i < n && format.charAt(i) == '*') {
                    i++;
                    if (argNum < args.length && Values.isInt(args[argNum])) {
                        long p = Values.intValue(args[argNum++]);
                        s.prec = Math.abs(p) > MAX_NUM ? -1 : (int) p;
                        if (s.prec < 0) {
                            s.prec = -1;
                        }
                    } else {
                        argNum++;
                        b.append("%!(BADPREC)");
                    }
                } else {
                    int start = i;
                    while (i < n && format.charAt(i) >= '0' && format.charAt(i) <= '9') {
                        i++;
                    }
                    s.prec = Math.max(0, i > start ? parseNum(format, start, i) : 0);
                }
            }
            if (i >= n) {
                b.append("%!(NOVERB)");
                break;
            }
            int verb = format.codePointAt(i);
            i += Character.charCount(verb);
            if (verb == 'v' && s.sharp) {
                s.sharp = false;
                s.sharpV = true;
            }
            if (verb == '%') {
                b.append('%');
                continue;
            }
            if (argNum >= args.length) {
                b.append("%!").appendCodePoint(verb).append("(MISSING)");
                continue;
            }
            formatArg(b, args[argNum++], verb, s);
        }
        if (argNum < args.length) {
            b.append("%!(EXTRA ");
            for (int k = argNum; k < args.length; k++) {
                if (k > argNum) {
                    b.append(", ");
                }
                Object a = args[k];
                if (a == null) {
                    b.append("<nil>");
                } else {
                    b.append(Values.typeName(a)).append('=');
                    Values.print(b, a);
                }
            }
            b.append(')');
        }
        return b.toString();
    }

    private static void formatArg(StringBuilder b, Object arg, int verb, Spec s) {
        if (verb == 'T') {
            pad(b, arg == null ? "<nil>" : Values.typeName(arg), s);
            return;
        }
        if (verb == 'v' && s.sharpV) {
            StringBuilder g = new StringBuilder();
            goSyntax(g, arg, 0);
            pad(b, g.toString(), s);
            return;
        }
        if (arg == null || arg == Values.NO_VALUE) {
            if (verb == 'v') {
                pad(b, "<nil>", s);
            } else {
                b.append("%!").appendCodePoint(verb).append("(<nil>)");
            }
            return;
        }
        switch (arg) {
            case Boolean bool -> {
                if (verb == 't' || verb == 'v') {
                    pad(b, bool.toString(), s);
                } else {
                    badVerb(b, arg, verb, s);
                }
            }
            case GoDuration d when verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X' ->
                    formatString(b, d.toString(), verb, s, arg);
            case Double d -> formatFloat(b, d, verb, s, arg);
            case Float f -> formatFloat(b, Double.parseDouble(f.toString()), verb, s, arg);
            case BigDecimal d -> formatFloat(b, d.doubleValue(), verb, s, arg);
            case String str -> formatString(b, str, verb, s, arg);
            case SafeHtml h -> formatString(b, h.html(), verb, s, arg);
            case SafeUrl u -> formatString(b, u.url(), verb, s, arg);
            case Character c -> formatInt(b, c, verb, s, arg);
            default -> {
                if (Values.isInt(arg)) {
                    formatInt(b, Values.intValue(arg), verb, s, arg);
                } else if (arg instanceof Map<?, ?> m) {
                    b.append("map[");
                    boolean first = true;
                    for (Object k : Values.sortedKeys(m)) {
                        if (!first) {
                            b.append(' ');
                        }
                        first = false;
                        formatArg(b, k, verb, s);
                        b.append(':');
                        formatArg(b, m.get(k), verb, s);
                    }
                    b.append(']');
                } else if (arg instanceof Record r && !(r instanceof GoTime)) {
                    // A Go struct: each field formatted with the verb, {a b}.
                    b.append('{');
                    java.lang.reflect.RecordComponent[] cs = r.getClass().getRecordComponents();
                    for (int k = 0; k < cs.length; k++) {
                        if (k > 0) {
                            b.append(' ');
                        }
                        try {
                            java.lang.reflect.Method m = cs[k].getAccessor();
                            m.trySetAccessible();
                            formatArg(b, m.invoke(r), verb, s);
                        } catch (ReflectiveOperationException e) {
                            b.append('?');
                        }
                    }
                    b.append('}');
                } else if (Values.asList(arg) instanceof List<?> l) {
                    b.append('[');
                    for (int k = 0; k < l.size(); k++) {
                        if (k > 0) {
                            b.append(' ');
                        }
                        formatArg(b, l.get(k), verb, s);
                    }
                    b.append(']');
                } else if (verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') {
                    formatString(b, arg.toString(), verb, s, arg);
                } else {
                    badVerb(b, arg, verb, s);
                }
            }
        }
    }

    /** Go's {@code %!z(type=value)}: the value is printed with %v under the directive's flags. */
    /** {@code %#v}: the value as Go source. */
    private static void goSyntax(StringBuilder b, Object v, int depth) {
        if (depth > 64) {
            b.append("...");
            return;
        }
        switch (v) {
            case null -> b.append("<nil>");
            case String str -> b.append(GoStrings.quote(str));
            case SafeHtml h -> b.append(GoStrings.quote(h.html()));
            case Byte x -> b.append("0x").append(Integer.toHexString(x & 0xff));
            case Double d -> b.append(Double.isInfinite(d) ? (d > 0 ? "+Inf" : "-Inf") : GoFloat.format(d));
            case Map<?, ?> m -> {
                b.append(Values.typeName(m)).append('{');
                boolean first = true;
                for (Object k : Values.sortedKeys(m)) {
                    if (!first) {
                        b.append(", ");
                    }
                    first = false;
                    goSyntax(b, k, depth + 1);
                    b.append(':');
                    goSyntax(b, m.get(k), depth + 1);
                }
                b.append('}');
            }
            default -> {
                List<?> l = v instanceof String ? null : Values.asList(v);
                if (l == null) {
                    Values.print(b, v);
                    return;
                }
                b.append(Values.typeName(v)).append('{');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        b.append(", ");
                    }
                    goSyntax(b, l.get(i), depth + 1);
                }
                b.append('}');
            }
        }
    }

    private static void badVerb(StringBuilder b, Object arg, int verb, Spec s) {
        b.append("%!").appendCodePoint(verb).append('(').append(Values.typeName(arg)).append('=');
        formatArg(b, arg, 'v', s);
        b.append(')');
    }

    // ---- strings ----

    private static void formatString(StringBuilder b, String str, int verb, Spec s, Object arg) {
        switch (verb) {
            case 'v', 's' -> pad(b, truncate(str, s.prec), s);
            case 'q' -> {
                String t = truncate(str, s.prec);
                if (s.sharp && t.indexOf('`') < 0 && canBackquote(t)) {
                    pad(b, "`" + t + "`", s);
                } else {
                    pad(b, s.plus ? GoStrings.quoteAscii(GoStrings.quote(t)) : GoStrings.quote(t), s);
                }
            }
            case 'x', 'X' -> {
                byte[] bytes = truncate(str, s.prec).getBytes(StandardCharsets.UTF_8);
                StringBuilder h = new StringBuilder(bytes.length * 2);
                String digits = verb == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
                for (int k = 0; k < bytes.length; k++) {
                    if (s.space && k > 0) {
                        h.append(' ');
                    }
                    if (s.sharp && (s.space || k == 0)) {
                        h.append(verb == 'x' ? "0x" : "0X");
                    }
                    h.append(digits.charAt((bytes[k] >> 4) & 15)).append(digits.charAt(bytes[k] & 15));
                }
                pad(b, h.toString(), s);
            }
            default -> badVerb(b, arg, verb, s);
        }
    }

    private static boolean canBackquote(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if ((c < ' ' && c != '\t') || c == 0x7f || c == 0xFEFF) {
                return false;
            }
        }
        return true;
    }

    private static String truncate(String str, int prec) {
        if (prec < 0 || str.codePointCount(0, str.length()) <= prec) {
            return str;
        }
        return str.substring(0, str.offsetByCodePoints(0, prec));
    }

    /** Pads to the width: spaces, or zeros on the left with the 0 flag (strings too, as Go does). */
    private static void pad(StringBuilder b, String str, Spec s) {
        int len = str.codePointCount(0, str.length());
        if (s.width <= len) {
            b.append(str);
            return;
        }
        if (s.minus) {
            b.append(str).repeat(' ', s.width - len);
        } else {
            b.repeat(s.zero ? '0' : ' ', s.width - len).append(str);
        }
    }

    /** Pads a number: zeros go between the sign/prefix and the digits. */
    private static void padNumber(StringBuilder b, String sign, String digits, Spec s, boolean zeroAllowed) {
        int len = sign.length() + digits.length();
        if (s.width <= len) {
            b.append(sign).append(digits);
        } else if (s.minus) {
            b.append(sign).append(digits).repeat(' ', s.width - len);
        } else if (s.zero && zeroAllowed) {
            b.append(sign).repeat('0', s.width - len).append(digits);
        } else {
            b.repeat(' ', s.width - len).append(sign).append(digits);
        }
    }

    // ---- integers ----

    private static void formatInt(StringBuilder b, long v, int verb, Spec s, Object arg) {
        String digits;
        String prefix = "";
        switch (verb) {
            case 'v', 'd' -> digits = Long.toString(v).replace("-", "");
            case 'b' -> {
                digits = Long.toBinaryString(Math.abs(v));
                prefix = s.sharp ? "0b" : "";
            }
            case 'o', 'O' -> {
                digits = Long.toOctalString(Math.abs(v));
                prefix = verb == 'O' ? "0o" : s.sharp && v != 0 ? "0" : ""; // never "00"
            }
            case 'x' -> {
                digits = Long.toHexString(Math.abs(v));
                prefix = s.sharp ? "0x" : "";
            }
            case 'X' -> {
                digits = Long.toHexString(Math.abs(v)).toUpperCase(java.util.Locale.ROOT);
                prefix = s.sharp ? "0X" : "";
            }
            case 'c' -> {
                pad(b, validRune(v) ? new String(Character.toChars((int) v)) : "\uFFFD", s);
                return;
            }
            case 'q' -> {
                String q = GoStrings.quoteRune(validRune(v) ? (int) v : 0xFFFD);
                pad(b, s.plus ? GoStrings.quoteAscii(q) : q, s);
                return;
            }
            case 'U' -> {
                String h = Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
                String u = "U+" + "0".repeat(Math.max(0, 4 - h.length())) + h;
                if (s.sharp && validRune(v) && GoStrings.isPrint((int) v)) {
                    u += " '" + new String(Character.toChars((int) v)) + "'";
                }
                pad(b, u, s);
                return;
            }
            case 'e', 'E', 'f', 'F', 'g', 'G', 's', 't' -> {
                badVerb(b, arg, verb, s);
                return;
            }
            default -> {
                badVerb(b, arg, verb, s);
                return;
            }
        }
        if (v == Long.MIN_VALUE && verb != 'v' && verb != 'd') {
            digits = digits.replace("-", "");
        }
        if (s.prec >= 0) {
            if (s.prec == 0 && v == 0) {
                digits = "";
            } else if (digits.length() < s.prec) {
                digits = "0".repeat(s.prec - digits.length()) + digits;
            }
        }
        String sign = v < 0 ? "-" : s.plus ? "+" : s.space ? " " : "";
        padNumber(b, sign + prefix, digits, s, s.prec < 0);
    }

    private static boolean validRune(long v) {
        return v >= 0 && v <= Character.MAX_CODE_POINT && !(v >= 0xD800 && v < 0xE000);
    }

    // ---- floats ----

    private static void formatFloat(StringBuilder b, double v, int verb, Spec s, Object arg) {
        switch (verb) {
            case 'v', 'e', 'E', 'f', 'F', 'g', 'G', 'x', 'X' -> {
                // formatted below
            }
            default -> {
                badVerb(b, arg, verb, s);
                return;
            }
        }
        boolean neg = Double.doubleToRawLongBits(v) < 0 && !Double.isNaN(v);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            String body = Double.isNaN(v) ? "NaN" : "Inf";
            String sign = neg ? "-" : Double.isNaN(v) ? (s.plus ? "+" : s.space ? " " : "") : (s.space && !s.plus ? " " : "+");
            padNumber(b, sign, body, s, false);
            return;
        }
        double abs = Math.abs(v);
        String digits = switch (verb) {
            case 'v', 'g', 'G' -> s.prec < 0 ? shortestG(abs) : formatG(abs, s.prec);
            case 'x', 'X' -> hexFloat(abs, s.prec);
            case 'e', 'E' -> formatE(abs, s.prec < 0 ? 6 : s.prec);
            default -> formatF(abs, s.prec < 0 ? 6 : s.prec);
        };
        if (s.sharp) {
            digits = sharpFloat(digits, verb, s.prec);
        }
        if (verb == 'E' || verb == 'G' || verb == 'X') {
            digits = digits.toUpperCase(java.util.Locale.ROOT);
        }
        String sign = neg ? "-" : s.plus ? "+" : s.space ? " " : "";
        padNumber(b, sign, digits, s, true);
    }

    /**
     * The '#' flag on a float: always a decimal point, and for %v/%g/%x trailing zeros up to
     * the precision (6 by default) significant digits, counted the way Go's fmt counts them.
     */
    private static String sharpFloat(String num, int verb, int prec) {
        int digits = 0;
        if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x' || verb == 'X') {
            digits = prec < 0 ? 6 : prec;
        }
        String tail = "";
        boolean hasPoint = false;
        boolean sawNonzero = false;
        int cut = num.length();
        for (int i = 0; i < num.length(); i++) {
            char c = num.charAt(i);
            if (c == '.') {
                hasPoint = true;
            } else if (c == 'p' || ((c == 'e') && verb != 'x' && verb != 'X')) {
                tail = num.substring(i);
                cut = i;
                break;
            } else {
                if (c != '0') {
                    sawNonzero = true;
                }
                if (sawNonzero) {
                    digits--;
                }
            }
        }
        StringBuilder b = new StringBuilder(num.substring(0, cut));
        if (!hasPoint) {
            if (b.length() == 1 && b.charAt(0) == '0') {
                digits--;
            }
            b.append('.');
        }
        while (digits-- > 0) {
            b.append('0');
        }
        return b.append(tail).toString();
    }

    private static String shortestG(double abs) {
        return GoFloat.format(abs);
    }

    /** Digits of {@code abs} rounded to {@code sig} significant digits, and the decimal point position. */
    private record Digits(String d, int dp) {}

    private static Digits round(double abs, int sig) {
        if (abs == 0) {
            return new Digits("0".repeat(sig), 1);
        }
        BigDecimal bd = new BigDecimal(abs).round(new MathContext(sig, RoundingMode.HALF_EVEN));
        String unscaled = bd.unscaledValue().toString();
        int dp = unscaled.length() - bd.scale();
        if (unscaled.length() < sig) {
            unscaled = unscaled + "0".repeat(sig - unscaled.length());
        } else if (unscaled.length() > sig) {
            unscaled = unscaled.substring(0, sig); // trailing zeros only
        }
        return new Digits(unscaled, dp);
    }

    /** strconv's {@code 'x'} format: {@code 0x1.8p+01}; shortest digits unless a precision is given. */
    static String hexFloat(double abs, int prec) {
        if (abs == 0) {
            return prec > 0 ? "0x0." + "0".repeat(prec) + "p+00" : "0x0p+00";
        }
        long bits = Double.doubleToRawLongBits(abs);
        int exp = (int) ((bits >>> 52) & 0x7ff);
        long mant = bits & ((1L << 52) - 1);
        if (exp == 0) { // subnormal: normalize so the leading digit is 1, as Go does
            int shift = Long.numberOfLeadingZeros(mant) - 11;
            mant = (mant << shift) & ((1L << 52) - 1);
            exp = 1 - shift;
        }
        exp -= 1023;
        long lead = 1;
        if (prec >= 0 && prec < 13) {
            // Round the 52 fraction bits (13 hex digits) to prec digits, half to even.
            int drop = (13 - prec) * 4;
            long full = (1L << 52) | mant;
            long half = 1L << (drop - 1);
            long rem = full & ((1L << drop) - 1);
            full >>>= drop;
            if (rem > half || (rem == half && (full & 1) == 1)) {
                full++;
            }
            if (full >>> (prec * 4) > 1) { // carried into a new leading digit
                full >>>= 1;
                exp++;
            }
            lead = full >>> (prec * 4);
            mant = (full & ((1L << (prec * 4)) - 1)) << drop;
        }
        StringBuilder b = new StringBuilder("0x").append(lead);
        String frac = String.format("%013x", mant);
        if (prec < 0) {
            int end = frac.length();
            while (end > 0 && frac.charAt(end - 1) == '0') {
                end--;
            }
            frac = frac.substring(0, end);
        } else {
            frac = prec <= 13 ? frac.substring(0, prec) : frac + "0".repeat(prec - 13);
        }
        if (!frac.isEmpty()) {
            b.append('.').append(frac);
        }
        b.append('p').append(exp < 0 ? '-' : '+');
        int e = Math.abs(exp);
        if (e < 10) {
            b.append('0');
        }
        return b.append(e).toString();
    }

    static String formatE(double abs, int prec) {
        Digits d = round(abs, prec + 1);
        return layoutE(d.d(), abs == 0 ? 0 : d.dp() - 1, prec);
    }

    private static String layoutE(String digits, int exp, int prec) {
        StringBuilder b = new StringBuilder(prec + 8);
        b.append(digits.charAt(0));
        if (prec > 0) {
            b.append('.');
            for (int k = 1; k <= prec; k++) {
                b.append(k < digits.length() ? digits.charAt(k) : '0');
            }
        }
        b.append('e').append(exp < 0 ? '-' : '+');
        int e = Math.abs(exp);
        if (e < 10) {
            b.append('0');
        }
        return b.append(e).toString();
    }

    static String formatF(double abs, int prec) {
        return new BigDecimal(abs).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** strconv's {@code 'g'} with an explicit precision. */
    static String formatG(double abs, int prec) {
        if (prec == 0) {
            prec = 1;
        }
        Digits d = round(abs, prec);
        String digits = d.d();
        int nd = digits.length();
        while (nd > 1 && digits.charAt(nd - 1) == '0') {
            nd--;
        }
        int dp = abs == 0 ? 1 : d.dp();
        if (abs == 0) {
            nd = 1;
        }
        int eprec = prec;
        if (eprec > nd && nd >= dp) {
            eprec = nd;
        }
        int exp = dp - 1;
        if (exp < -4 || exp >= eprec) {
            int p = Math.min(prec, nd);
            return layoutE(digits, exp, p - 1);
        }
        int frac = prec > dp ? Math.max(nd - dp, 0) : Math.max(prec - dp, 0);
        StringBuilder b = new StringBuilder(nd + 4);
        if (dp > 0) {
            for (int k = 0; k < dp; k++) {
                b.append(k < nd ? digits.charAt(k) : '0');
            }
        } else {
            b.append('0');
        }
        if (frac > 0) {
            b.append('.');
            for (int k = 0; k < frac; k++) {
                int j = dp + k;
                b.append(j >= 0 && j < nd ? digits.charAt(j) : '0');
            }
        }
        return b.toString();
    }
}
