package io.specula.template;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An immutable registry of the functions templates may call, by name. Go's builtins
 * ({@code and or not len index slice print printf println html js urlquery call eq ne lt le
 * gt ge}) are always present; callers add theirs with {@link #with} (a later definition of a
 * name replaces an earlier one, builtins included, as Go's {@code Funcs} does). A template is
 * parsed against a set (unknown names are parse errors) and may be rebound to another set with
 * the same names via {@link Template#withFunctions}.
 */
public final class FunctionSet {
    /** How the executor treats a function; only builtins need the special kinds. */
    enum Kind {
        PLAIN, AND, OR, CALL, TMPL
    }

    /**
     * The declared type of a parameter, which Go checks before calling: a {@code STRING}
     * parameter given a number constant fails with {@code expected string; found 42}, given
     * another value with {@code wrong type for value; expected string; got float64}.
     * {@code ANY} (Go's {@code interface{}}) accepts everything; functions check other types
     * themselves with {@link FunctionArgs}.
     */
    public enum Param {
        ANY, STRING
    }

    /** One function: accepted argument count (max -1 = variadic), parameter types and implementation. */
    record Entry(String name, int minArgs, int maxArgs, TemplateFunction fn, Kind kind, Param[] params, Param rest) {
        Entry(String name, int minArgs, int maxArgs, TemplateFunction fn, Kind kind) {
            this(name, minArgs, maxArgs, fn, kind, null, Param.ANY);
        }

        /** The declared type of argument {@code i}. */
        Param param(int i) {
            return params != null && i < params.length ? params[i] : rest;
        }
    }

    private static final FunctionSet BUILTINS = new FunctionSet(Builtins.entries());

    private final Map<String, Entry> entries;

    private FunctionSet(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** Only Go's builtin functions. */
    public static FunctionSet builtins() {
        return BUILTINS;
    }

    /** Adds a function taking exactly {@code arity} arguments. */
    public FunctionSet with(String name, int arity, TemplateFunction fn) {
        return with(new Entry(name, arity, arity, fn, Kind.PLAIN));
    }

    /** Adds a function taking at least {@code minArgs} arguments. */
    public FunctionSet withVarargs(String name, int minArgs, TemplateFunction fn) {
        return with(new Entry(name, minArgs, -1, fn, Kind.PLAIN));
    }

    /** Adds a function with exactly the given parameters. */
    public FunctionSet with(String name, TemplateFunction fn, Param... params) {
        return with(new Entry(name, params.length, params.length, fn, Kind.PLAIN, params.clone(), Param.ANY));
    }

    /** Adds a variadic function: the {@code fixed} parameters, then any number of {@code rest}. */
    public FunctionSet withVarargs(String name, TemplateFunction fn, Param rest, Param... fixed) {
        return with(new Entry(name, fixed.length, -1, fn, Kind.PLAIN, fixed.clone(), rest));
    }

    /** Adds every function of {@code other} that is not one of the builtins. */
    public FunctionSet withAll(FunctionSet other) {
        Map<String, Entry> copy = new HashMap<>(entries);
        for (Entry e : other.entries.values()) {
            if (BUILTINS.entries.get(e.name()) != e) {
                copy.put(e.name(), e);
            }
        }
        return new FunctionSet(copy);
    }

    FunctionSet with(Entry e) {
        if (!isIdentifier(e.name())) {
            throw new IllegalArgumentException("function name " + GoStrings.quote(e.name()) + " is not a valid identifier");
        }
        Map<String, Entry> copy = new HashMap<>(entries);
        copy.put(e.name(), e);
        return new FunctionSet(copy);
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    Entry get(String name) {
        return entries.get(name);
    }

    private static boolean isIdentifier(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (!(c == '_' || Character.isLetter(c) || (i > 0 && Character.isDigit(c)))) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
