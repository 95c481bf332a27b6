package io.specula.model.relabel;

/** The {@code action} of a relabeling rule, named as in YAML by {@link #yamlName()}. */
public enum RelabelAction {
    /** Sets {@code target_label} (expanded) to {@code replacement} (expanded) when the regex matches. */
    REPLACE("replace"),
    /** Drops the label set when the regex does not match the joined source values. */
    KEEP("keep"),
    /** Drops the label set when the regex matches the joined source values. */
    DROP("drop"),
    /** Drops the label set unless the joined source values equal the value of {@code target_label}. */
    KEEPEQUAL("keepequal"),
    /** Drops the label set when the joined source values equal the value of {@code target_label}. */
    DROPEQUAL("dropequal"),
    /** Sets {@code target_label} to an MD5-based hash of the joined source values modulo {@code modulus}. */
    HASHMOD("hashmod"),
    /** Copies every label whose name matches the regex to the name given by {@code replacement}. */
    LABELMAP("labelmap"),
    /** Removes every label whose name matches the regex. */
    LABELDROP("labeldrop"),
    /** Removes every label whose name does not match the regex. */
    LABELKEEP("labelkeep"),
    /** Sets {@code target_label} to the joined source values in lower case. */
    LOWERCASE("lowercase"),
    /** Sets {@code target_label} to the joined source values in upper case. */
    UPPERCASE("uppercase");

    private static final RelabelAction[] VALUES = values();

    private final String yamlName;

    RelabelAction(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The name used in configuration files and error messages, e.g. {@code labeldrop}. */
    public String yamlName() {
        return yamlName;
    }

    /**
     * The action named {@code s}, ignoring case as Prometheus does ({@code Replace} is
     * {@code replace}), or null when there is no such action.
     */
    public static RelabelAction fromYaml(String s) {
        String lower = CaseMapping.toLower(s);
        for (RelabelAction a : VALUES) {
            if (a.yamlName.equals(lower)) {
                return a;
            }
        }
        return null;
    }
}
