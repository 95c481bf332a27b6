package io.specula.model.relabel;

import io.specula.model.labels.LabelNames.NameValidation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds rules in tests from YAML-like key/value pairs. */
final class TestRules {
    private TestRules() {}

    /**
     * An unvalidated rule. Keys are the YAML keys; {@code source_labels} takes a comma-separated
     * list ({@code ""} for an empty list); a null value stands for a YAML null.
     */
    static RelabelConfig cfg(String... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected: " + Arrays.toString(kv));
        }
        RelabelConfig c = new RelabelConfig();
        for (int i = 0; i < kv.length; i += 2) {
            String v = kv[i + 1];
            switch (kv[i]) {
                case "source_labels" -> c.setSourceLabels(
                        v == null ? null : v.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(v.split(",", -1))));
                case "separator" -> c.setSeparator(v);
                case "regex" -> c.setRegex(v);
                case "modulus" -> c.setModulus(Long.parseUnsignedLong(v));
                case "target_label" -> c.setTargetLabel(v);
                case "replacement" -> c.setReplacement(v);
                case "action" -> c.setAction(v);
                default -> throw new IllegalArgumentException("unknown key " + kv[i]);
            }
        }
        return c;
    }

    /** A rule validated for UTF-8 names (Prometheus 3's default). */
    static RelabelConfig rule(String... kv) {
        return cfg(kv).validate();
    }

    /** A rule validated for legacy names. */
    static RelabelConfig legacyRule(String... kv) {
        return cfg(kv).validate(NameValidation.LEGACY);
    }
}
