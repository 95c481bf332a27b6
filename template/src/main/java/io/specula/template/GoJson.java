package io.specula.template;

import io.specula.model.exposition.GoFloat;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Go's {@code json.Marshal} for template values ({@code toJson}): map keys sorted, HTML
 * characters escaped as {@code \u003c}, floats in Go's JSON layout, NaN and infinities
 * refused, times as RFC 3339 with nanoseconds, records as objects of their components.
 */
final class GoJson {
    private GoJson() {}

    static String encode(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, 0);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int depth) {
        if (depth > 1000) {
            throw new IllegalArgumentException("json: unsupported value: encountered a cycle");
        }
        if (v == null || v == Values.NO_VALUE) {
            b.append("null");
            return;
        }
        switch (v) {
            case String s -> string(b, s);
            case SafeHtml h -> string(b, h.html());
            case SafeUrl u -> string(b, u.url());
            case Boolean bool -> b.append(bool.booleanValue());
            case GoDuration d -> b.append(d.nanos());
            case GoTime t -> string(b, rfc3339Nano(t));
            case Double d -> number(b, d);
            case Float f -> number(b, Double.parseDouble(f.toString()));
            case Byte x -> b.append(x & 0xff);
            case Number n -> b.append(n);
            case Character c -> b.append((int) c);
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Object k : Values.sortedKeys(m)) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    string(b, Values.print(k));
                    b.append(':');
                    write(b, m.get(k), depth + 1);
                }
                b.append('}');
            }
            case Record r -> {
                b.append('{');
                boolean first = true;
                for (RecordComponent c : r.getClass().getRecordComponents()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    string(b, c.getName());
                    b.append(':');
                    try {
                        c.getAccessor().trySetAccessible();
                        write(b, c.getAccessor().invoke(r), depth + 1);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalArgumentException("json: cannot read " + c.getName());
                    }
                }
                b.append('}');
            }
            default -> {
                java.util.List<?> l = Values.asList(v);
                if (l == null) {
                    string(b, v.toString());
                    return;
                }
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(b, l.get(i), depth + 1);
                }
                b.append(']');
            }
        }
    }

    private static void number(StringBuilder b, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("json: unsupported value: " + GoFloat.format(d));
        }
        double abs = Math.abs(d);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            String s = GoFloat.format(d); // shortest, exponent form here
            int e = s.indexOf("e-0");
            if (e >= 0 && e + 3 < s.length()) {
                s = s.substring(0, e + 2) + s.substring(e + 3); // Go writes 1e-7, not 1e-07
            }
            b.append(s);
            return;
        }
        if (d == 0) {
            b.append(Double.doubleToRawLongBits(d) < 0 ? "-0" : "0");
            return;
        }
        b.append(new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString());
    }


    static String rfc3339Nano(GoTime t) {
        return t.Format("2006-01-02T15:04:05.999999999Z07:00");
    }

    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '<' -> b.append("\\u003c");
                case '>' -> b.append("\\u003e");
                case '&' -> b.append("\\u0026");
                case '\u2028' -> b.append("\\u2028");
                case '\u2029' -> b.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                        b.append("\\ufffd");
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
