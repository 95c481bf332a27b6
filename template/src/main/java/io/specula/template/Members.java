package io.specula.template;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a template field or method name ({@code .Alerts}, {@code .SortedPairs}) on a Java
 * object by reflection, once per class and name.
 *
 * <p>Go names are capitalized; Java's are not. {@code .Name} finds, in order, a public
 * instance method named {@code Name}, {@code name}, {@code getName} or {@code isName}
 * (record accessors included), then a public field {@code Name} or {@code name}. Only
 * members declared outside the JDK count, so a map's own {@code values()} or {@code size()}
 * never shadow its keys; {@code .String} always means {@code toString()}.
 */
final class Members {
    /** A resolved member: candidate methods by arity, or a field. */
    record Member(List<Method> methods, Field field) {
        static final Member NONE = new Member(List.of(), null);

        boolean isMethod() {
            return !methods.isEmpty();
        }

        Method method(int arity) {
            for (Method m : methods) {
                if (m.getParameterCount() == arity && !m.isVarArgs()) {
                    return m;
                }
            }
            for (Method m : methods) {
                if (m.isVarArgs() && arity >= m.getParameterCount() - 1) {
                    return m;
                }
            }
            return null;
        }
    }

    private static final ClassValue<Map<String, Member>> CACHE = new ClassValue<>() {
        @Override
        protected Map<String, Member> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Members() {}

    static Member find(Class<?> type, String name) {
        Map<String, Member> byName = CACHE.get(type);
        Member m = byName.get(name);
        if (m == null) {
            m = resolve(type, name);
            if (byName.size() < 1024) {
                byName.put(name, m);
            }
        }
        return m;
    }

    private static Member resolve(Class<?> type, String name) {
        if (name.isEmpty()) {
            return Member.NONE;
        }
        String lower = Character.toLowerCase(name.charAt(0)) + name.substring(1);
        String upper = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        String[] candidates = {name, lower, "get" + upper, "is" + upper};
        for (int ci = 0; ci < candidates.length; ci++) {
            String candidate = candidates[ci];
            List<Method> found = new ArrayList<>(1);
            for (Method method : type.getMethods()) {
                if (method.getName().equals(candidate) && usable(method)) {
                    if (ci == 3 && method.getReturnType() != boolean.class) {
                        continue; // isX only names boolean getters
                    }
                    found.add(accessible(method, type));
                }
            }
            if (!found.isEmpty()) {
                return new Member(List.copyOf(found), null);
            }
        }
        for (String candidate : new String[] {name, lower}) {
            try {
                Field f = type.getField(candidate);
                if (!Modifier.isStatic(f.getModifiers()) && !isJdk(f.getDeclaringClass())) {
                    f.trySetAccessible();
                    return new Member(List.of(), f);
                }
            } catch (NoSuchFieldException e) {
                // try the next spelling
            }
        }
        return Member.NONE;
    }

    private static boolean usable(Method m) {
        if (Modifier.isStatic(m.getModifiers()) || m.isBridge() || m.isSynthetic()) {
            return false;
        }
        String n = m.getName();
        if (n.equals("equals") || n.equals("hashCode") || n.equals("toString") || n.equals("getClass")) {
            return false;
        }
        return !isJdk(m.getDeclaringClass());
    }

    /**
     * Methods of a non-public class (a private record, say) are called through the same
     * method declared by a public interface when there is one, else made accessible.
     */
    private static Method accessible(Method m, Class<?> type) {
        if (Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
            return m;
        }
        m.trySetAccessible();
        return m;
    }

    private static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.");
    }
}
