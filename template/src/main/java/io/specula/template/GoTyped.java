package io.specula.template;

/**
 * Implemented by data objects that stand for a named Go type, so that messages and
 * {@code %T} show the name Go would ({@code template.KV}, {@code template.Pairs}) instead of
 * one guessed from the Java class.
 */
public interface GoTyped {
    /** The Go type name, package-qualified: {@code template.Pairs}. */
    String goTypeName();
}
