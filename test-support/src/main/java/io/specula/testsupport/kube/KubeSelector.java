package io.specula.testsupport.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The API server's side of label and field selectors: parses them and tests an object's labels
 * or fields. Label selectors: {@code k}, {@code !k}, {@code k=v}, {@code k==v}, {@code k!=v},
 * {@code k in (a,b)}, {@code k notin (a,b)}, {@code k>n}, {@code k<n}; field selectors:
 * {@code k=v}, {@code k==v}, {@code k!=v}.
 */
final class KubeSelector {
    private record Requirement(String key, String op, List<String> values) {}

    private final List<Requirement> requirements;

    private KubeSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    static KubeSelector label(String s) {
        List<Requirement> rs = new ArrayList<>();
        if (s == null || s.isBlank()) {
            return new KubeSelector(rs);
        }
        for (String term : splitTopLevel(s)) {
            String t = term.strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("unable to parse requirement: found ',', expected: identifier");
            }
            if (t.startsWith("!")) {
                rs.add(new Requirement(t.substring(1).strip(), "!", List.of()));
                continue;
            }
            var m = java.util.regex.Pattern.compile("^([^=!<>\\s(]+)\\s*(?:(==|=|!=|>|<)\\s*(.*)|\\s+(in|notin)\\s*\\((.*)\\))?$",
                    java.util.regex.Pattern.DOTALL).matcher(t);
            if (!m.matches()) {
                throw new IllegalArgumentException("unable to parse requirement: '" + t + "'");
            }
            if (m.group(2) != null) {
                String op = m.group(2).equals("==") ? "=" : m.group(2);
                rs.add(new Requirement(m.group(1), op, List.of(m.group(3).strip())));
            } else if (m.group(4) != null) {
                List<String> vs = new ArrayList<>();
                for (String v : m.group(5).split(",")) {
                    vs.add(v.strip());
                }
                rs.add(new Requirement(m.group(1), m.group(4), vs));
            } else {
                rs.add(new Requirement(m.group(1), "exists", List.of()));
            }
        }
        return new KubeSelector(rs);
    }

    static KubeSelector field(String s) {
        List<Requirement> rs = new ArrayList<>();
        if (s == null || s.isBlank()) {
            return new KubeSelector(rs);
        }
        for (String t : s.split(",")) {
            int ne = t.indexOf("!=");
            int eq2 = t.indexOf("==");
            int eq = t.indexOf('=');
            if (ne > 0) {
                rs.add(new Requirement(t.substring(0, ne).strip(), "!=", List.of(t.substring(ne + 2).strip())));
            } else if (eq2 > 0) {
                rs.add(new Requirement(t.substring(0, eq2).strip(), "=", List.of(t.substring(eq2 + 2).strip())));
            } else if (eq > 0) {
                rs.add(new Requirement(t.substring(0, eq).strip(), "=", List.of(t.substring(eq + 1).strip())));
            } else {
                throw new IllegalArgumentException("invalid selector: '" + s + "'; can't understand '" + t + "'");
            }
        }
        return new KubeSelector(rs);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /** Whether the values {@code get} gives (null for absent) satisfy every requirement. */
    boolean matches(Function<String, String> get) {
        for (Requirement r : requirements) {
            String v = get.apply(r.key);
            boolean ok = switch (r.op) {
                case "exists" -> v != null;
                case "!" -> v == null;
                case "=" -> v != null && v.equals(r.values.getFirst());
                case "!=" -> v == null || !v.equals(r.values.getFirst());
                case "in" -> v != null && r.values.contains(v);
                case "notin" -> v == null || !r.values.contains(v);
                case ">", "<" -> {
                    if (v == null) {
                        yield false;
                    }
                    try {
                        long a = Long.parseLong(v);
                        long b = Long.parseLong(r.values.getFirst());
                        yield r.op.equals(">") ? a > b : a < b;
                    } catch (NumberFormatException e) {
                        yield false;
                    }
                }
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
