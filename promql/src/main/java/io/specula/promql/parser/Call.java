package io.specula.promql.parser;

import java.util.List;

/** A function call, checked against the function's signature by the parser. */
public record Call(Function function, List<Expr> args, PositionRange position) implements Expr {
    public Call {
        args = List.copyOf(args);
    }

    @Override
    public ValueKind type() {
        return function.returnType();
    }
}
