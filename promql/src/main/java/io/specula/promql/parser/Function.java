package io.specula.promql.parser;

import java.util.List;

/**
 * A function's signature, as the parser checks calls against it.
 *
 * @param argTypes the declared argument types
 * @param variadic 0: exactly argTypes; n &gt; 0: up to n extra args of the last type may be
 *     given or the last n omitted, as Prometheus's function table says; -1: any number more
 * @param experimental only available with {@code --enable-feature=promql-experimental-functions}
 */
public record Function(String name, List<ValueKind> argTypes, int variadic, ValueKind returnType,
        boolean experimental) {
    public Function {
        argTypes = List.copyOf(argTypes);
    }
}
