package io.specula.template;

/**
 * A function callable from templates. Arguments arrive as plain Java values (see
 * {@link Template} for the data model; a missing value arrives as null). Throwing fails the
 * execution with {@code error calling NAME: message}, Go's form for a function returning an
 * error; a {@link FunctionArgs.WrongTypeException} is reported as-is, like Go's own argument
 * type errors. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface TemplateFunction {
    Object call(Object... args) throws Exception;
}
