package io.specula.rules.rulefmt;

import java.util.List;

/**
 * A rule file that cannot be used. {@link #errors()} holds one line per problem in
 * Prometheus's wording ({@code file: 5:15: group "g", rule 1, "r": could not parse expression: …});
 * the message joins them with newlines.
 */
public final class RuleFileException extends Exception {
    private final List<String> errors;

    public RuleFileException(List<String> errors) {
        super(String.join("\n", errors), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
