package io.specula.model.relabel;

import io.specula.model.labels.LabelNames;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Applies relabeling rules to label sets, in order, as Prometheus does.
 *
 * <p>For every rule the values of {@code source_labels} are joined with {@code separator} (an
 * absent label contributes {@code ""}), then the action runs:
 * <ul>
 *   <li>{@code replace}: if the regex matches the joined value, expand {@code target_label} and
 *       {@code replacement} with the match (Go {@code Regexp.Expand} syntax: {@code $1},
 *       {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}). A target that is not a valid
 *       label name under the rule's name validation skips the rule; an empty result deletes the
 *       target label. No match changes nothing.
 *   <li>{@code keep}/{@code drop}: drop the label set when the regex does not match / matches.
 *   <li>{@code keepequal}/{@code dropequal}: drop it when the joined value differs from /
 *       equals the value of {@code target_label}.
 *   <li>{@code hashmod}: set {@code target_label} to the last 8 bytes of the MD5 of the joined
 *       value, read as a big-endian unsigned integer, modulo {@code modulus} — the same shard as
 *       Prometheus for the same input.
 *   <li>{@code lowercase}/{@code uppercase}: set {@code target_label} to the joined value with
 *       Go's simple per-code-point case mapping.
 *   <li>{@code labelmap}: for every label whose name matches, set the label named by the
 *       expanded {@code replacement} to its value (the result name is not validated, as in
 *       Prometheus).
 *   <li>{@code labeldrop}/{@code labelkeep}: delete the labels whose names match / do not match.
 * </ul>
 * Setting a label to {@code ""} deletes it. {@code labelmap} visits labels in the order
 * Prometheus's label builder does — first the labels the call started with (sorted by name)
 * that no rule has set or deleted yet, then the labels rules have set, in the order they were
 * first set — so that when two labels map to the same name the same one wins. (Prometheus 2.x
 * visited all labels sorted by name.)
 *
 * <p>The per-series path compiles nothing and, for the common rules (keep/drop on one source
 * label, replace with the default regex), allocates only the strings it stores: scratch buffers
 * live in the instance. Not thread-safe: use one instance per thread (e.g. per scrape loop);
 * instances are cheap. The rules themselves may be shared.
 */
public final class Relabeler {
    private final StringBuilder sb = new StringBuilder(64);
    private final LabelsBuilder scratch = new LabelsBuilder();
    private String[] snapshot = new String[32];
    private MessageDigest md5;

    // Pairs [0, base) of the builder are labels the call started with and no rule has touched:
    // Prometheus's Builder.base. A rule that sets one of them moves it to the end, as Prometheus
    // moves it to Builder.add, so that the builder's order is Prometheus's iteration order.
    private int base;
    private boolean changed;

    public Relabeler() {}

    /**
     * Applies {@code configs} in order to the labels in {@code lb}, in place.
     *
     * <p>The labels in {@code lb} when the call starts play the part of Prometheus's base label
     * set. When {@code false} is returned the builder holds whatever the rules had done so far.
     *
     * @return false when a rule dropped the label set (the target or series must be dropped)
     * @throws IllegalStateException when a rule has not been validated
     */
    public boolean process(LabelsBuilder lb, List<RelabelConfig> configs) {
        base = lb.size();
        changed = false;
        for (int i = 0, n = configs.size(); i < n; i++) {
            if (!apply(configs.get(i).compiled(), lb)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Applies {@code configs} to {@code labels}.
     *
     * @return the relabeled labels ({@code labels} itself when no rule changed anything), or
     *     null when a rule dropped the label set
     */
    public Labels process(Labels labels, List<RelabelConfig> configs) {
        scratch.reset(labels);
        try {
            if (!process(scratch, configs)) {
                return null;
            }
            return changed ? scratch.build() : labels;
        } finally {
            scratch.reset(); // do not keep the caller's strings reachable
        }
    }

    private boolean apply(RelabelConfig.Compiled c, LabelsBuilder lb) {
        String val = joinSources(c, lb);
        switch (c.action()) {
            case DROP -> {
                return !c.regex().matches(val);
            }
            case KEEP -> {
                return c.regex().matches(val);
            }
            case DROPEQUAL -> {
                return !lb.get(c.targetLabel()).equals(val);
            }
            case KEEPEQUAL -> {
                return lb.get(c.targetLabel()).equals(val);
            }
            case REPLACE -> replace(c, lb, val);
            case LOWERCASE -> set(lb, c.targetLabel(), CaseMapping.toLower(val));
            case UPPERCASE -> set(lb, c.targetLabel(), CaseMapping.toUpper(val));
            case HASHMOD -> set(lb, c.targetLabel(), Long.toUnsignedString(hashMod(val, c.modulus())));
            case LABELMAP -> labelMap(c, lb);
            case LABELDROP -> dropLabels(c.regex(), lb, true);
            case LABELKEEP -> dropLabels(c.regex(), lb, false);
        }
        return true;
    }

    private String joinSources(RelabelConfig.Compiled c, LabelsBuilder lb) {
        String[] src = c.sourceLabels();
        switch (src.length) {
            case 0 -> {
                return "";
            }
            case 1 -> {
                return lb.get(src[0]); // metric relabeling nearly always has one source: no copy
            }
            default -> {
                sb.setLength(0);
                sb.append(lb.get(src[0]));
                for (int i = 1; i < src.length; i++) {
                    sb.append(c.separator()).append(lb.get(src[i]));
                }
                return sb.toString();
            }
        }
    }

    private void replace(RelabelConfig.Compiled c, LabelsBuilder lb, String val) {
        Regex re = c.regex();
        com.google.re2j.Matcher m = null;
        if (!re.matchesAllAsGroupOne()) {
            m = re.pattern().matcher(val);
            if (!m.find()) {
                return;
            }
        }
        String target = expand(c.target(), val, m);
        if (!LabelNames.isValidLabelName(target, c.nameValidation())) {
            return;
        }
        set(lb, target, expand(c.replacement(), val, m));
    }

    private String expand(Template t, String src, com.google.re2j.Matcher m) {
        String constant = t.constant();
        if (constant != null) {
            return constant;
        }
        sb.setLength(0);
        t.expand(sb, src, m);
        return sb.toString();
    }

    private void labelMap(RelabelConfig.Compiled c, LabelsBuilder lb) {
        // Iterate over a copy: the rule's own writes must not be visited, and values are read as
        // they were before the rule, as Prometheus's Builder.Range does.
        int n = lb.size();
        if (snapshot.length < 2 * n) {
            snapshot = new String[Math.max(2 * n, 2 * snapshot.length)];
        }
        String[] s = snapshot;
        int w = 0;
        int baseEnd = 0;
        for (int i = 0; i < n; i++) {
            String v = lb.value(i);
            if (!v.isEmpty()) { // an empty value is an absent label
                s[w++] = lb.name(i);
                s[w++] = v;
            }
            if (i == base - 1) {
                baseEnd = w;
            }
        }
        sortPairs(s, baseEnd); // Prometheus's base is sorted; a caller's builder need not be
        Regex re = c.regex();
        Template t = c.replacement();
        for (int i = 0; i < w; i += 2) {
            String name = s[i];
            if (!re.matches(name)) {
                continue;
            }
            com.google.re2j.Matcher m = null;
            if (!re.matchesAllAsGroupOne() && t.constant() == null) {
                m = re.pattern().matcher(name);
                m.find(); // matches() said yes; this only fills in the groups
            }
            set(lb, expand(t, name, m), s[i + 1]);
        }
        Arrays.fill(s, 0, w, null);
    }

    /** Insertion sort of the first {@code end / 2} pairs by name; linear when already sorted. */
    private static void sortPairs(String[] s, int end) {
        for (int i = 2; i < end; i += 2) {
            String name = s[i], value = s[i + 1];
            int j = i;
            while (j > 0 && s[j - 2].compareTo(name) > 0) {
                s[j] = s[j - 2];
                s[j + 1] = s[j - 1];
                j -= 2;
            }
            s[j] = name;
            s[j + 1] = value;
        }
    }

    private void dropLabels(Regex re, LabelsBuilder lb, boolean dropMatching) {
        for (int i = lb.size() - 1; i >= 0; i--) {
            if (re.matches(lb.name(i)) == dropMatching) {
                deleteAt(lb, i);
            }
        }
    }

    private long hashMod(String val, long modulus) {
        if (md5 == null) {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform must provide MD5", e);
            }
        }
        byte[] d = md5.digest(val.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        // Prometheus uses only the last 8 bytes, big-endian, to keep the shards of older versions.
        for (int i = 8; i < 16; i++) {
            h = (h << 8) | (d[i] & 0xFF);
        }
        return Long.remainderUnsigned(h, modulus);
    }

    /** Sets a label as Prometheus's Builder.Set does; an empty value deletes it. */
    private void set(LabelsBuilder lb, String name, String value) {
        if (value.isEmpty()) {
            int i = indexOf(lb, name);
            if (i >= 0) {
                deleteAt(lb, i);
            }
            return;
        }
        int i = indexOf(lb, name);
        if (i < 0) {
            lb.add(name, value);
            changed = true;
            return;
        }
        String old = lb.value(i);
        if (!old.equals(value)) {
            changed = true;
        }
        if (i < base) {
            lb.delete(name);
            base--;
            lb.add(name, value);
        } else {
            lb.set(name, value);
        }
    }

    private void deleteAt(LabelsBuilder lb, int i) {
        if (!lb.value(i).isEmpty()) {
            changed = true;
        }
        if (i < base) {
            base--;
        }
        lb.delete(lb.name(i));
    }

    private static int indexOf(LabelsBuilder lb, String name) {
        for (int i = 0, n = lb.size(); i < n; i++) {
            if (lb.name(i).equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
