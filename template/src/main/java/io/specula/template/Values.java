package io.specula.template;

import io.specula.model.exposition.GoFloat;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How plain Java values play Go's types in templates: which are ints, floats, strings; their
 * truth; how {@code fmt.Print} renders them; the type names errors mention.
 */
final class Values {
    /**
     * The invalid value Go's text/template yields for a missing map key or a field of nothing;
     * prints as {@code <no value>} and is false. Never handed to functions (they get null).
     */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "<no value>";
        }
    };

    private Values() {}

    /** A map whose Go type is {@code map[string]interface{}} even when empty (what {@code args} returns). */
    static final class AnyMap extends java.util.LinkedHashMap<String, Object> {}

    static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger || v instanceof GoDuration;
    }

    static boolean isFloat(Object v) {
        return v instanceof Double || v instanceof Float || v instanceof BigDecimal;
    }

    /** A Go int's value; a Byte is Go's uint8 (a byte of a string), so it reads unsigned. */
    static long intValue(Object v) {
        return switch (v) {
            case GoDuration d -> d.nanos();
            case Byte b -> b & 0xff;
            default -> ((Number) v).longValue();
        };
    }

    /** Go's truth: false, 0, nil, and empty strings, slices and maps are false. */
    static boolean truth(Object v) {
        if (v == null || v == NO_VALUE) {
            return false;
        }
        return switch (v) {
            case Boolean b -> b;
            case String s -> !s.isEmpty();
            case GoDuration d -> d.nanos() != 0;
            case Double d -> d != 0;
            case Float f -> f != 0;
            case BigDecimal d -> d.signum() != 0;
            case BigInteger i -> i.signum() != 0;
            case Number n -> n.longValue() != 0;
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case SafeHtml h -> !h.html().isEmpty();
            case SafeUrl u -> !u.url().isEmpty();
            case Character c -> c != 0;
            default -> !v.getClass().isArray() || Array.getLength(v) != 0;
        };
    }

    /** {@code fmt.Sprint(v)} for one value. */
    static String print(Object v) {
        if (v instanceof String s) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        print(b, v);
        return b.toString();
    }

    static void print(StringBuilder b, Object v) {
        print(b, v, 0);
    }

    private static void print(StringBuilder b, Object v, int depth) {
        if (depth > 64) {
            b.append("...");
            return;
        }
        switch (v) {
            case null -> b.append("<nil>");
            case String s -> b.append(s);
            case Long l -> b.append(l.longValue());
            case Integer i -> b.append(i.intValue());
            case Byte x -> b.append(x & 0xff);
            case Double d -> b.append(GoFloat.format(d));
            case Float f -> b.append(GoFloat.format(Double.parseDouble(Float.toString(f))));
            case Boolean bool -> b.append(bool.booleanValue());
            case Character c -> b.append((int) c);
            case Map<?, ?> m -> {
                b.append("map[");
                boolean first = true;
                for (Object k : sortedKeys(m)) {
                    if (!first) {
                        b.append(' ');
                    }
                    first = false;
                    print(b, k, depth + 1);
                    b.append(':');
                    print(b, m.get(k), depth + 1);
                }
                b.append(']');
            }
            case Collection<?> c -> {
                b.append('[');
                boolean first = true;
                for (Object e : c) {
                    if (!first) {
                        b.append(' ');
                    }
                    first = false;
                    print(b, e, depth + 1);
                }
                b.append(']');
            }
            case Record r when !(r instanceof GoTime || r instanceof GoDuration || r instanceof SafeHtml
                    || r instanceof SafeUrl) -> {
                // A Go struct prints as {field1 field2}.
                b.append('{');
                java.lang.reflect.RecordComponent[] components = r.getClass().getRecordComponents();
                for (int i = 0; i < components.length; i++) {
                    if (i > 0) {
                        b.append(' ');
                    }
                    try {
                        java.lang.reflect.Method accessor = components[i].getAccessor();
                        accessor.trySetAccessible();
                        print(b, accessor.invoke(r), depth + 1);
                    } catch (ReflectiveOperationException e) {
                        b.append('?');
                    }
                }
                b.append('}');
            }
            default -> {
                if (v == NO_VALUE) {
                    b.append("<no value>");
                } else if (v.getClass().isArray()) {
                    b.append('[');
                    int n = Array.getLength(v);
                    for (int i = 0; i < n; i++) {
                        if (i > 0) {
                            b.append(' ');
                        }
                        print(b, Array.get(v, i), depth + 1);
                    }
                    b.append(']');
                } else {
                    b.append(v);
                }
            }
        }
    }

    /** Map keys in Go's order for printing and ranging: numbers numerically, strings by code unit. */
    static List<Object> sortedKeys(Map<?, ?> m) {
        List<Object> keys = new ArrayList<>(m.keySet());
        if (!(m instanceof java.util.SortedMap<?, ?> sm && sm.comparator() == null && allStrings(keys))) {
            keys.sort(KEY_ORDER);
        }
        return keys;
    }

    private static boolean allStrings(List<Object> keys) {
        for (Object k : keys) {
            if (!(k instanceof String)) {
                return false;
            }
        }
        return true;
    }

    static final Comparator<Object> KEY_ORDER = (a, b) -> {
        if (a == b) {
            return 0;
        }
        if (a == null) {
            return -1;
        }
        if (b == null) {
            return 1;
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        if ((isInt(a) || isFloat(a)) && (isInt(b) || isFloat(b))) {
            if (isInt(a) && isInt(b)) {
                return Long.compare(intValue(a), intValue(b));
            }
            return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        int c = a.getClass().getName().compareTo(b.getClass().getName());
        return c != 0 ? c : a.toString().compareTo(b.toString());
    };

    /** The Go type name an error message would show for {@code v}. */
    static String typeName(Object v) {
        if (v == null || v == NO_VALUE) {
            return "<nil>";
        }
        return switch (v) {
            case GoTyped t -> t.goTypeName();
            case String s -> "string";
            case Long l -> "int";
            case Integer i -> "int";
            case Short s -> "int16";
            case Byte b -> "uint8";
            case BigInteger i -> "int";
            case Double d -> "float64";
            case Float f -> "float32";
            case BigDecimal d -> "float64";
            case Boolean b -> "bool";
            case Character c -> "int32";
            case SafeHtml h -> "template.HTML";
            case SafeUrl u -> "template.URL";
            case GoTime t -> "time.Time";
            case GoDuration d -> "time.Duration";
            case TemplateFunction f -> "func";
            // Java collections carry no element type: guess it from the first element.
            case AnyMap m -> "map[string]interface {}";
            case Map<?, ?> m -> m.isEmpty() || m.values().iterator().next() instanceof String
                    ? "map[string]string" : "map[string]interface {}";
            case Collection<?> c -> c.isEmpty() || !(c.iterator().next() instanceof String) ? "[]interface {}" : "[]string";
            default -> v.getClass().isArray() ? "[]" + v.getClass().getComponentType().getSimpleName()
                    : v.getClass().getSimpleName();
        };
    }

    /** Elements of a list-like value, or null if it is not one. */
    static List<?> asList(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (v != null && v.getClass().isArray()) {
            int n = Array.getLength(v);
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(Array.get(v, i));
            }
            return out;
        }
        return null;
    }

    /** The "zero value" a missing key of {@code m} stands for under missingkey=zero. */
    static Object zeroFor(Map<?, ?> m) {
        // Java maps carry no element type. The common maps in templates are label sets
        // (Go map[string]string, zero ""); other maps behave like map[string]interface{},
        // whose zero Go prints as <no value>. Guess from one value.
        for (Object v : m.values()) {
            return v instanceof String ? "" : NO_VALUE;
        }
        return "";
    }
}
