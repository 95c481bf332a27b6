package io.specula.promql.engine;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.promql.parser.Call;
import java.util.ArrayList;
import java.util.List;

/** {@code label_replace} and {@code label_join}: new labels computed once per series, not per step. */
final class LabelFunctions {
    private LabelFunctions() {}

    static List<StepSeries> replace(Evaluator ev, Call c, Grid g) {
        List<StepSeries> in = ev.vector(c.args().get(0), g);
        String dst = ev.eval(c.args().get(1), g).string;
        String repl = ev.eval(c.args().get(2), g).string;
        String src = ev.eval(c.args().get(3), g).string;
        String regex = ev.eval(c.args().get(4), g).string;
        Pattern p;
        try {
            p = Pattern.compile("^(?s:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw QueryException.badData("invalid regular expression in label_replace(): " + regex);
        }
        if (!validLabelName(dst)) {
            throw QueryException.badData("invalid destination label name in label_replace(): " + dst);
        }
        LabelsBuilder b = new LabelsBuilder();
        for (StepSeries s : in) {
            Matcher m = p.matcher(s.labels.get(src));
            if (m.matches()) {
                String v = expand(m, repl);
                b.reset(s.labels);
                if (v.isEmpty()) {
                    b.delete(dst);
                } else {
                    b.set(dst, v);
                }
                s.labels = b.build();
                if (dst.equals(Labels.METRIC_NAME)) {
                    s.dropName = false;
                }
            }
        }
        return checkUnique(in);
    }

    static List<StepSeries> join(Evaluator ev, Call c, Grid g) {
        List<StepSeries> in = ev.vector(c.args().get(0), g);
        String dst = ev.eval(c.args().get(1), g).string;
        String sep = ev.eval(c.args().get(2), g).string;
        List<String> srcs = new ArrayList<>();
        for (int i = 3; i < c.args().size(); i++) {
            String s = ev.eval(c.args().get(i), g).string;
            if (!validLabelName(s)) {
                throw QueryException.badData("invalid source label name in label_join(): " + s);
            }
            srcs.add(s);
        }
        if (!validLabelName(dst)) {
            throw QueryException.badData("invalid destination label name in label_join(): " + dst);
        }
        LabelsBuilder b = new LabelsBuilder();
        for (StepSeries s : in) {
            StringBuilder v = new StringBuilder();
            for (int i = 0; i < srcs.size(); i++) {
                if (i > 0) {
                    v.append(sep);
                }
                v.append(s.labels.get(srcs.get(i)));
            }
            b.reset(s.labels);
            if (v.isEmpty()) {
                b.delete(dst);
            } else {
                b.set(dst, v.toString());
            }
            s.labels = b.build();
            if (dst.equals(Labels.METRIC_NAME)) {
                s.dropName = false;
            }
        }
        return checkUnique(in);
    }

    /** Series that became identical must not both have a value at one step. */
    static List<StepSeries> checkUnique(List<StepSeries> in) {
        java.util.Map<Labels, StepSeries> seen = new java.util.HashMap<>();
        for (StepSeries s : in) {
            StepSeries prev = seen.putIfAbsent(s.labels, s);
            if (prev != null && prev.dropName == s.dropName) {
                for (int i = 0; i < prev.present.length; i++) {
                    if ((prev.present[i] & s.present[i]) != 0) {
                        throw QueryException.execution("vector cannot contain metrics with the same labelset");
                    }
                }
            }
        }
        return in;
    }

    static boolean validLabelName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\uFFFD') {
                return false;
            }
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(ch)) {
                return false;
            }
        }
        return true;
    }

    /** Expands {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}} and {@code $$} as Go's regexp does. */
    static String expand(Matcher m, String template) {
        StringBuilder out = new StringBuilder();
        int i = 0, n = template.length();
        while (i < n) {
            char ch = template.charAt(i);
            if (ch != '$' || i + 1 >= n) {
                out.append(ch);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(ch);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
            } else {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
                    j++;
                }
                if (j == i + 1) {
                    out.append(ch);
                    i++;
                    continue;
                }
                name = template.substring(i + 1, j);
                end = j;
            }
            out.append(group(m, name));
            i = end;
        }
        return out.toString();
    }

    private static String group(Matcher m, String name) {
        String v = null;
        boolean numeric = !name.isEmpty() && name.chars().allMatch(Character::isDigit);
        if (numeric) {
            try {
                int idx = Integer.parseInt(name);
                if (idx <= m.groupCount()) {
                    v = m.group(idx);
                }
            } catch (NumberFormatException e) {
                v = null;
            }
        } else {
            try {
                v = m.group(name);
            } catch (IllegalArgumentException e) {
                v = null;
            }
        }
        return v == null ? "" : v;
    }
}
