package io.specula.template;

import io.specula.template.FunctionSet.Entry;
import io.specula.template.FunctionSet.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Go text/template's predefined functions. */
final class Builtins {
    private Builtins() {}

    static Map<String, Entry> entries() {
        Map<String, Entry> m = new HashMap<>();
        put(m, new Entry("and", 1, -1, null, Kind.AND));
        put(m, new Entry("or", 1, -1, null, Kind.OR));
        put(m, plain("not", 1, 1, a -> !Values.truth(a[0])));
        put(m, plain("len", 1, 1, a -> length(a[0])));
        put(m, plain("index", 1, -1, a -> index(a[0], Arrays.copyOfRange(a, 1, a.length))));
        put(m, plain("slice", 1, -1, a -> slice(a[0], Arrays.copyOfRange(a, 1, a.length))));
        put(m, plain("print", 0, -1, GoFmt::sprint));
        put(m, plain("println", 0, -1, GoFmt::sprintln));
        put(m, new Entry("printf", 1, -1, a -> GoFmt.sprintf((String) a[0], Arrays.copyOfRange(a, 1, a.length)), Kind.PLAIN,
                new FunctionSet.Param[] {FunctionSet.Param.STRING}, FunctionSet.Param.ANY));
        put(m, plain("html", 0, -1, a -> GoStrings.htmlEscape(evalArgs(a))));
        put(m, plain("js", 0, -1, a -> GoStrings.jsEscape(evalArgs(a))));
        put(m, plain("urlquery", 0, -1, a -> GoStrings.queryEscape(evalArgs(a))));
        put(m, new Entry("call", 1, -1, null, Kind.CALL));
        put(m, plain("eq", 1, -1, a -> eq(a[0], Arrays.copyOfRange(a, 1, a.length))));
        put(m, plain("ne", 2, 2, a -> !eq(a[0], new Object[] {a[1]})));
        put(m, plain("lt", 2, 2, a -> lt(a[0], a[1])));
        put(m, plain("le", 2, 2, a -> lt(a[0], a[1]) || eq(a[0], new Object[] {a[1]})));
        put(m, plain("gt", 2, 2, a -> !(lt(a[0], a[1]) || eq(a[0], new Object[] {a[1]}))));
        put(m, plain("ge", 2, 2, a -> !lt(a[0], a[1])));
        return m;
    }

    private static Entry plain(String name, int min, int max, TemplateFunction fn) {
        return new Entry(name, min, max, fn, Kind.PLAIN);
    }

    private static void put(Map<String, Entry> m, Entry e) {
        m.put(e.name(), e);
    }

    /** The single string argument, or {@code fmt.Sprint} of all with missing values shown. */
    private static String evalArgs(Object[] args) {
        if (args.length == 1 && args[0] instanceof String s) {
            return s;
        }
        Object[] shown = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            shown[i] = args[i] == null ? "<no value>" : args[i];
        }
        return GoFmt.sprint(shown);
    }

    private static long length(Object v) {
        if (v == null) {
            throw new IllegalArgumentException("len of nil pointer");
        }
        return switch (v) {
            case String s -> GoStrings.utf8Length(s);
            case SafeHtml h -> GoStrings.utf8Length(h.html());
            case SafeUrl u -> GoStrings.utf8Length(u.url());
            case java.util.Collection<?> c -> c.size();
            case Map<?, ?> m -> m.size();
            default -> {
                if (v.getClass().isArray()) {
                    yield java.lang.reflect.Array.getLength(v);
                }
                throw new IllegalArgumentException("len of type " + Values.typeName(v));
            }
        };
    }

    private static Object index(Object item, Object[] indexes) {
        if (item == null) {
            throw new IllegalArgumentException("index of untyped nil");
        }
        for (Object index : indexes) {
            if (item == null || item == Values.NO_VALUE) {
                throw new IllegalArgumentException("index of nil pointer");
            }
            if (item instanceof Map<?, ?> m) {
                if (!(index instanceof String) && (m.isEmpty() || m.keySet().iterator().next() instanceof String)) {
                    throw new IllegalArgumentException("value has type " + Values.typeName(index) + "; should be string");
                }
                Object v = m.get(index);
                item = v != null || m.containsKey(index) ? v : Values.zeroFor(m);
            } else if (item instanceof String || item instanceof SafeHtml) {
                byte[] bytes = item.toString().getBytes(StandardCharsets.UTF_8);
                int x = indexArg(index, bytes.length);
                if (x == bytes.length) {
                    throw new IllegalArgumentException("reflect: string index out of range");
                }
                item = bytes[x]; // Go's uint8
            } else if (Values.asList(item) instanceof List<?> l) {
                int x = indexArg(index, l.size());
                if (x == l.size()) {
                    throw new IllegalArgumentException("reflect: slice index out of range");
                }
                item = l.get(x);
            } else {
                throw new IllegalArgumentException("can't index item of type " + Values.typeName(item));
            }
        }
        return item;
    }

    /** An int index in [0, max], else Go's errors (an index equal to the length fails later, in reflect). */
    private static int indexArg(Object index, int max) {
        if (index == null) {
            throw new IllegalArgumentException("cannot index slice/array with nil");
        }
        if (!Values.isInt(index)) {
            throw new IllegalArgumentException("cannot index slice/array with type " + Values.typeName(index));
        }
        long x = Values.intValue(index);
        if (x < 0 || x > max) {
            throw new IllegalArgumentException("index out of range: " + x);
        }
        return (int) x;
    }

    private static Object slice(Object item, Object[] indexes) {
        if (item == null) {
            throw new IllegalArgumentException("slice of untyped nil");
        }
        if (indexes.length > 3) {
            throw new IllegalArgumentException("too many slice indexes: " + indexes.length);
        }
        boolean isString = item instanceof String || item instanceof SafeHtml;
        byte[] bytes = null;
        List<?> list = null;
        int len;
        if (isString) {
            if (indexes.length == 3) {
                throw new IllegalArgumentException("cannot 3-index slice a string");
            }
            bytes = item.toString().getBytes(StandardCharsets.UTF_8);
            len = bytes.length;
        } else if ((list = Values.asList(item)) != null) {
            len = list.size();
        } else {
            throw new IllegalArgumentException("can't slice item of type " + Values.typeName(item));
        }
        int[] idx = {0, len, len};
        for (int i = 0; i < indexes.length; i++) {
            idx[i] = indexArg(indexes[i], len);
        }
        if (idx[0] > idx[1]) {
            throw new IllegalArgumentException("invalid slice index: " + idx[0] + " > " + idx[1]);
        }
        if (indexes.length == 3 && idx[1] > idx[2]) {
            throw new IllegalArgumentException("invalid slice index: " + idx[1] + " > " + idx[2]);
        }
        if (isString) {
            return new String(bytes, idx[0], idx[1] - idx[0], StandardCharsets.UTF_8);
        }
        return java.util.Collections.unmodifiableList(new java.util.ArrayList<>(list.subList(idx[0], idx[1])));
    }

    /** The {@code call} builtin; {@code callee} is how the template wrote the function operand. */
    static Object call(String callee, Object[] args) throws Exception {
        Object fn = args[0];
        if (fn == null) {
            throw new IllegalArgumentException("call of nil");
        }
        if (!(fn instanceof TemplateFunction f)) {
            throw new IllegalArgumentException("non-function " + callee + " of type " + Values.typeName(fn));
        }
        try {
            return f.call(Arrays.copyOfRange(args, 1, args.length));
        } catch (FunctionArgs.WrongTypeException e) {
            throw e;
        } catch (Exception e) {
            throw new Exception("error calling " + callee + ": " + Executor.messageOf(e), e);
        }
    }

    // ---- comparisons ----

    private enum BasicKind {
        NIL, BOOL, INT, FLOAT, STRING, OTHER
    }

    private static BasicKind kind(Object v) {
        if (v == null || v == Values.NO_VALUE) {
            return BasicKind.NIL;
        }
        if (v instanceof Boolean) {
            return BasicKind.BOOL;
        }
        if (Values.isInt(v) || v instanceof Character) {
            return BasicKind.INT;
        }
        if (Values.isFloat(v)) {
            return BasicKind.FLOAT;
        }
        if (v instanceof String || v instanceof SafeHtml || v instanceof SafeUrl) {
            return BasicKind.STRING;
        }
        return BasicKind.OTHER;
    }

    private static long asLong(Object v) {
        return v instanceof Character c ? c : Values.intValue(v);
    }

    static boolean eq(Object arg1, Object[] rest) {
        if (rest.length == 0) {
            throw new IllegalArgumentException("missing argument for comparison");
        }
        BasicKind k1 = kind(arg1);
        for (Object arg : rest) {
            BasicKind k2 = kind(arg);
            boolean truth;
            if (k1 != k2) {
                if (k1 != BasicKind.NIL && k2 != BasicKind.NIL) {
                    throw new IllegalArgumentException("incompatible types for comparison");
                }
                truth = false;
            } else {
                truth = switch (k1) {
                    case NIL -> true;
                    case BOOL -> arg1.equals(arg);
                    case INT -> asLong(arg1) == asLong(arg);
                    case FLOAT -> ((Number) arg1).doubleValue() == ((Number) arg).doubleValue();
                    case STRING -> arg1.toString().equals(arg.toString());
                    case OTHER -> {
                        for (Object o : new Object[] {arg, arg1}) { // Go names the right operand first
                            if (o instanceof Map || o instanceof java.util.Collection || o.getClass().isArray()
                                    || o instanceof TemplateFunction) {
                                throw new IllegalArgumentException("non-comparable type " + Values.print(o) + ": "
                                        + Values.typeName(o));
                            }
                        }
                        if (arg1.getClass() != arg.getClass()) {
                            throw new IllegalArgumentException("non-comparable types " + Values.print(arg1) + ": "
                                    + Values.typeName(arg1) + ", " + Values.typeName(arg) + ": " + Values.print(arg));
                        }
                        yield arg1.equals(arg);
                    }
                };
            }
            if (truth) {
                return true;
            }
        }
        return false;
    }

    static boolean lt(Object a, Object b) {
        BasicKind k1 = kind(a);
        BasicKind k2 = kind(b);
        if (k1 == BasicKind.NIL || k1 == BasicKind.OTHER || k2 == BasicKind.NIL || k2 == BasicKind.OTHER) {
            throw new IllegalArgumentException("invalid type for comparison");
        }
        if (k1 != k2) {
            throw new IllegalArgumentException("incompatible types for comparison");
        }
        return switch (k1) {
            case INT -> asLong(a) < asLong(b);
            case FLOAT -> ((Number) a).doubleValue() < ((Number) b).doubleValue();
            case STRING -> compareCodePoints(a.toString(), b.toString()) < 0;
            default -> throw new IllegalArgumentException("invalid type for comparison");
        };
    }

    /** Byte order of the UTF-8 forms, which is code point order (not UTF-16 order). */
    static int compareCodePoints(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int a = x.codePointAt(i);
            int b = y.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(x.length() - i, y.length() - j);
    }
}
