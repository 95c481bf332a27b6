package io.specula.promql.parser;

/** The static type of an expression, named as Prometheus's errors name it. */
public enum ValueKind {
    NONE("none", "none"),
    SCALAR("scalar", "scalar"),
    VECTOR("vector", "instant vector"),
    MATRIX("matrix", "range vector"),
    STRING("string", "string");

    /** The name of the type in API responses ({@code resultType}). */
    public final String apiName;
    /** The name used in parse errors, e.g. "expected type instant vector". */
    public final String documentedName;

    ValueKind(String apiName, String documentedName) {
        this.apiName = apiName;
        this.documentedName = documentedName;
    }
}
