package io.specula.template;

import io.specula.template.FunctionSet.Entry;
import io.specula.template.Node.ActionNode;
import io.specula.template.Node.BoolNode;
import io.specula.template.Node.BranchNode;
import io.specula.template.Node.BreakNode;
import io.specula.template.Node.ChainNode;
import io.specula.template.Node.CommandNode;
import io.specula.template.Node.ContinueNode;
import io.specula.template.Node.DotNode;
import io.specula.template.Node.FieldNode;
import io.specula.template.Node.IdentifierNode;
import io.specula.template.Node.ListNode;
import io.specula.template.Node.NilNode;
import io.specula.template.Node.NumberNode;
import io.specula.template.Node.PipeNode;
import io.specula.template.Node.StringNode;
import io.specula.template.Node.TemplateNode;
import io.specula.template.Node.TextNode;
import io.specula.template.Node.VariableNode;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/**
 * Walks a parse tree against data, writing to an Appendable: one instance per execution,
 * not thread-safe. Follows Go's exec.go: variables on a stack ({@code $} at the bottom of
 * each template call), pipelines feed each command's result as the next one's last
 * argument, {@code and}/{@code or} short-circuit, errors name the node being executed.
 */
final class Executor {
    /** "No previous command": distinct from a previous command that produced no value. */
    private static final Object NO_FINAL = new Object();

    private enum Control {
        NONE, BREAK, CONTINUE
    }

    /** An execution error already formatted like Go's; unwound to the top. */
    static final class Failure extends RuntimeException {
        final int line;
        final int column;

        Failure(String message, int line, int column) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
        }
    }

    private final Template template;
    private final FunctionSet functions;
    private final Appendable out;
    private final boolean html;
    private final Template.MissingKey missingKey;
    private final int maxDepth;

    private String[] varNames = new String[16];
    private Object[] varValues = new Object[16];
    private int varCount;
    private int varBase;
    private int depth;
    private Tree tree;
    private Node node;

    Executor(Template template, Appendable out) {
        this.template = template;
        this.functions = template.functions();
        this.out = out;
        this.html = template.htmlMode();
        this.missingKey = template.missingKey();
        this.maxDepth = template.maxDepth();
    }

    void execute(Tree t, Object data) throws IOException {
        tree = t;
        push("$", data);
        try {
            walk(data, t.root());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (StackOverflowError e) {
            node = null;
            throw error("exceeded maximum template depth (Java stack exhausted at depth " + depth + ")");
        }
    }

    // ---- errors ----

    private void at(Node n) {
        node = n;
    }

    Failure error(String message) {
        if (node == null) {
            return new Failure("template: " + tree.name() + ": " + message, -1, -1);
        }
        String context = node.toString(); // quoted whole: Go stopped truncating it to 20 bytes
        int line = tree.line(node.pos());
        int col = tree.column(node.pos());
        return new Failure("template: " + tree.parseName() + ":" + line + ":" + col + ": executing "
                + GoStrings.quote(tree.name()) + " at <" + context + ">: " + message, line, col);
    }

    private static final class UncheckedIOException extends RuntimeException {
        UncheckedIOException(IOException e) {
            super(e);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    // ---- variables ----

    private void push(String name, Object value) {
        if (varCount == varNames.length) {
            varNames = java.util.Arrays.copyOf(varNames, varCount * 2);
            varValues = java.util.Arrays.copyOf(varValues, varCount * 2);
        }
        varNames[varCount] = name;
        varValues[varCount++] = value;
    }

    private void pop(int mark) {
        for (int i = mark; i < varCount; i++) {
            varValues[i] = null;
        }
        varCount = mark;
    }

    private void setVar(String name, Object value) {
        for (int i = varCount - 1; i >= varBase; i--) {
            if (varNames[i].equals(name)) {
                varValues[i] = value;
                return;
            }
        }
        throw error("undefined variable: " + name);
    }

    private Object varValue(String name) {
        for (int i = varCount - 1; i >= varBase; i--) {
            if (varNames[i].equals(name)) {
                return varValues[i];
            }
        }
        throw error("undefined variable: " + name);
    }

    // ---- walking ----

    private Control walk(Object dot, Node n) {
        switch (n) {
            case TextNode t -> {
                if (html) {
                    writeHtmlText(t.text());
                } else {
                    write(t.text());
                }
            }
            case ActionNode a -> {
                Object v = evalPipeline(dot, a.pipe());
                if (a.pipe().decl().isEmpty()) {
                    at(a);
                    if (html && htmlState == 4) {
                        // dropped with the comment around it
                    } else if (html && endsWithHtmlEscaper(a.pipe())) {
                        write(Values.print(v)); // html/template does not escape twice
                    } else {
                        printValue(v);
                    }
                }
            }
            case ListNode l -> {
                for (Node child : l.nodes()) {
                    Control c = walk(dot, child);
                    if (c != Control.NONE) {
                        return c;
                    }
                }
            }
            case BranchNode b -> {
                return switch (b.kind()) {
                    case IF, WITH -> walkIfOrWith(dot, b);
                    case RANGE -> walkRange(dot, b);
                };
            }
            case TemplateNode t -> walkTemplate(dot, t);
            case BreakNode b -> {
                return Control.BREAK;
            }
            case ContinueNode c -> {
                return Control.CONTINUE;
            }
            default -> throw error("unknown node: " + n);
        }
        return Control.NONE;
    }

    private void write(String s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where HTML-mode text stands: between tags, inside a tag, or inside a quoted attribute value. */
    private int htmlState; // 0 text, 1 tag, 2 single-quoted, 3 double-quoted, 4 comment (dropped)

    /**
     * Writes template text in HTML mode. Like html/template, a {@code <} between tags that does
     * not start a tag, comment or doctype is written as {@code &lt;}; tags are followed only far
     * enough to know where they end (quoted attribute values may hold {@code >}).
     */
    private void writeHtmlText(String text) {
        StringBuilder out = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (htmlState) {
                case 0 -> {
                    if (c == '<' && text.startsWith("<!--", i)) {
                        // html/template drops comments, actions inside included.
                        if (out == null) {
                            out = new StringBuilder(n).append(text, 0, i);
                        }
                        htmlState = 4;
                        i += 3;
                        continue;
                    }
                    if (c == '<') {
                        int j = i + 1;
                        if (j < n && text.charAt(j) == '/') {
                            j++;
                        }
                        boolean tag = j < n && (Character.isLetter(text.charAt(j)) || text.charAt(j) == '!'
                                || text.charAt(j) == '?');
                        if (tag) {
                            htmlState = 1;
                        } else {
                            if (out == null) {
                                out = new StringBuilder(n + 8).append(text, 0, i);
                            }
                            out.append("&lt;");
                            continue;
                        }
                    }
                }
                case 1 -> {
                    if (c == '>') {
                        htmlState = 0;
                    } else if (c == '\'') {
                        htmlState = 2;
                    } else if (c == '"') {
                        htmlState = 3;
                    }
                }
                case 2 -> {
                    if (c == '\'') {
                        htmlState = 1;
                    }
                }
                case 4 -> {
                    if (out == null) {
                        out = new StringBuilder(n).append(text, 0, i);
                    }
                    if (text.startsWith("-->", i)) {
                        htmlState = 0;
                        i += 2;
                    }
                    continue;
                }
                default -> {
                    if (c == '"') {
                        htmlState = 1;
                    }
                }
            }
            if (out != null) {
                out.append(c);
            }
        }
        write(out == null ? text : out.toString());
    }

    /** A pipeline whose last command is the {@code html} builtin already produced escaped text. */
    private boolean endsWithHtmlEscaper(PipeNode pipe) {
        Node first = pipe.cmds().getLast().args().getFirst();
        return first instanceof IdentifierNode id && id.name().equals("html")
                && functions.get("html") == FunctionSet.builtins().get("html");
    }

    private void printValue(Object v) {
        try {
            if (html && htmlState == 4) {
                return; // inside an HTML comment, which html/template drops
            }
            if (html) {
                if (v instanceof SafeHtml h) {
                    out.append(h.html());
                } else if (v != null && v != Values.NO_VALUE) {
                    GoStrings.appendHtmlTextEscaped(out, Values.print(v));
                }
            } else if (v instanceof String s) {
                out.append(s);
            } else {
                out.append(Values.print(v));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Control walkIfOrWith(Object dot, BranchNode b) {
        int mark = varCount;
        try {
            Object v = evalPipeline(dot, b.pipe());
            if (Values.truth(v)) {
                return walk(b.kind() == Node.Branch.WITH ? v : dot, b.list());
            } else if (b.elseList() != null) {
                return walk(dot, b.elseList());
            }
            return Control.NONE;
        } finally {
            pop(mark);
        }
    }

    private Control walkRange(Object dot, BranchNode r) {
        at(r);
        int outer = varCount;
        try {
            Object v = evalPipeline(dot, r.pipe());
            int mark = varCount;
            if (v instanceof Map<?, ?> m) {
                if (!m.isEmpty()) {
                    for (Object k : Values.sortedKeys(m)) {
                        if (oneIteration(r, k, m.get(k), mark) == Control.BREAK) {
                            break;
                        }
                    }
                    return Control.NONE;
                }
            } else if (Values.isInt(v) && !(v instanceof GoDuration)) {
                if (r.pipe().decl().size() > 1) {
                    at(r);
                    throw error("can't use " + Values.print(v) + " to iterate over more than one variable");
                }
                long n = Values.intValue(v);
                if (n > 0) {
                    for (long i = 0; i < n; i++) {
                        if (oneIteration(r, i, i, mark) == Control.BREAK) {
                            break;
                        }
                    }
                    return Control.NONE;
                }
            } else if (v == null || v == Values.NO_VALUE) {
                // nothing to iterate: fall through to else
            } else if (v instanceof Iterable<?> it && !(v instanceof java.util.Collection<?>)) {
                long i = 0;
                for (Object e : it) {
                    if (oneIteration(r, i++, e, mark) == Control.BREAK) {
                        break;
                    }
                }
                if (i > 0) {
                    return Control.NONE;
                }
            } else if (Values.asList(v) instanceof List<?> list) {
                if (!list.isEmpty()) {
                    for (int i = 0; i < list.size(); i++) {
                        if (oneIteration(r, (long) i, list.get(i), mark) == Control.BREAK) {
                            break;
                        }
                    }
                    return Control.NONE;
                }
            } else {
                at(r);
                throw error("range can't iterate over " + Values.print(v));
            }
            if (r.elseList() != null) {
                return walk(dot, r.elseList());
            }
            return Control.NONE;
        } finally {
            pop(outer);
        }
    }

    private Control oneIteration(BranchNode r, Object index, Object elem, int mark) {
        List<VariableNode> decl = r.pipe().decl();
        if (!decl.isEmpty()) {
            if (r.pipe().isAssign()) {
                setVar(decl.getFirst().name(), decl.size() > 1 ? index : elem);
                if (decl.size() > 1) {
                    setVar(decl.get(1).name(), elem);
                }
            } else {
                varValues[varCount - 1] = elem; // the last declared variable
                if (decl.size() > 1) {
                    varValues[varCount - 2] = index;
                }
            }
        }
        try {
            Control c = walk(elem, r.list());
            return c == Control.BREAK ? Control.BREAK : Control.NONE;
        } finally {
            pop(mark);
        }
    }

    private void walkTemplate(Object dot, TemplateNode t) {
        at(t);
        Tree callee = template.tree(t.name());
        if (callee == null) {
            throw error("template " + GoStrings.quote(t.name()) + " not defined");
        }
        if (depth >= maxDepth) {
            throw error("exceeded maximum template depth (" + maxDepth + ")");
        }
        Object newDot = t.pipe() == null ? Values.NO_VALUE : evalPipeline(dot, t.pipe());
        Tree savedTree = tree;
        int savedBase = varBase;
        int savedCount = varCount;
        depth++;
        tree = callee;
        varBase = varCount;
        push("$", newDot);
        try {
            walk(newDot, callee.root());
        } finally {
            pop(savedCount);
            varBase = savedBase;
            tree = savedTree;
            depth--;
        }
    }

    // ---- pipelines and commands ----

    private Object evalPipeline(Object dot, PipeNode pipe) {
        if (pipe == null) {
            return Values.NO_VALUE;
        }
        at(pipe);
        Object value = NO_FINAL;
        for (CommandNode cmd : pipe.cmds()) {
            value = evalCommand(dot, cmd, value);
        }
        for (VariableNode v : pipe.decl()) {
            if (pipe.isAssign()) {
                setVar(v.name(), value);
            } else {
                push(v.name(), value);
            }
        }
        return value;
    }

    private Object evalCommand(Object dot, CommandNode cmd, Object fin) {
        Node first = cmd.args().getFirst();
        switch (first) {
            case FieldNode f -> {
                return evalFieldNode(dot, f, cmd.args(), fin);
            }
            case ChainNode c -> {
                return evalChainNode(dot, c, cmd.args(), fin);
            }
            case IdentifierNode id -> {
                return evalFunction(dot, id, cmd, cmd.args(), fin);
            }
            case PipeNode p -> {
                notAFunction(cmd.args(), fin);
                return evalPipeline(dot, p);
            }
            case VariableNode v -> {
                return evalVariableNode(dot, v, cmd.args(), fin);
            }
            default -> {
                // constants below
            }
        }
        at(first);
        notAFunction(cmd.args(), fin);
        return switch (first) {
            case BoolNode b -> b.value();
            case DotNode d -> dot;
            case NilNode n -> throw error("nil is not a command");
            case NumberNode n -> n.value();
            case StringNode s -> s.text();
            default -> throw error("can't evaluate command " + GoStrings.quote(first.toString()));
        };
    }

    private void notAFunction(List<Node> args, Object fin) {
        if ((args != null && args.size() > 1) || fin != NO_FINAL) {
            throw error("can't give argument to non-function " + (args == null ? "" : args.getFirst()));
        }
    }

    private Object evalFieldNode(Object dot, FieldNode f, List<Node> args, Object fin) {
        at(f);
        return evalFieldChain(dot, dot, f, f.ident(), args, fin);
    }

    private Object evalChainNode(Object dot, ChainNode c, List<Node> args, Object fin) {
        at(c);
        if (c.node() instanceof NilNode) {
            throw error("indirection through explicit nil in " + c);
        }
        // Like Go, errors in the fields that follow name the last node the operand evaluated.
        Object pipe = evalArg(dot, c.node());
        return evalFieldChain(dot, pipe, c, c.field(), args, fin);
    }

    private Object evalVariableNode(Object dot, VariableNode v, List<Node> args, Object fin) {
        at(v);
        Object value = varValue(v.name());
        if (v.ident().size() == 1) {
            notAFunction(args, fin);
            return value;
        }
        return evalFieldChain(dot, value, v, v.ident().subList(1, v.ident().size()), args, fin);
    }

    private Object evalFieldChain(Object dot, Object receiver, Node n, List<String> ident, List<Node> args, Object fin) {
        int last = ident.size() - 1;
        for (int i = 0; i < last; i++) {
            receiver = evalField(dot, ident.get(i), n, null, NO_FINAL, receiver);
        }
        return evalField(dot, ident.get(last), n, args, fin, receiver);
    }

    private Object evalField(Object dot, String name, Node n, List<Node> args, Object fin, Object receiver) {
        if (receiver == Values.NO_VALUE) {
            if (missingKey == Template.MissingKey.ERROR) {
                throw error("nil data; no entry for key " + GoStrings.quote(name));
            }
            return Values.NO_VALUE;
        }
        if (receiver == null) {
            throw error("nil pointer evaluating interface {}." + name);
        }
        boolean hasArgs = (args != null && args.size() > 1) || fin != NO_FINAL;
        if (name.equals("String") && !(receiver instanceof Map<?, ?>) && !hasArgs) {
            return receiver.toString();
        }
        Members.Member member = Members.find(receiver.getClass(), name);
        if (member.isMethod()) {
            return evalMethod(dot, member, receiver, n, name, args, fin);
        }
        if (receiver instanceof Map<?, ?> m) {
            if (hasArgs) {
                throw error(name + " is not a method but has arguments");
            }
            Object v = m.get(name);
            if (v != null || m.containsKey(name)) {
                return v;
            }
            return switch (missingKey) {
                case DEFAULT -> Values.NO_VALUE;
                case ZERO -> Values.zeroFor(m);
                case ERROR -> throw error("map has no entry for key " + GoStrings.quote(name));
            };
        }
        if (member.field() != null) {
            if (hasArgs) {
                throw error(name + " has arguments but cannot be invoked as function");
            }
            try {
                return member.field().get(receiver);
            } catch (IllegalAccessException e) {
                throw error("can't evaluate field " + name + " in type " + Values.typeName(receiver));
            }
        }
        throw error("can't evaluate field " + name + " in type " + Values.typeName(receiver));
    }

    private Object evalMethod(Object dot, Members.Member member, Object receiver, Node n, String name, List<Node> args,
            Object fin) {
        int argc = (args == null ? 0 : args.size() - 1) + (fin != NO_FINAL ? 1 : 0);
        Method m = member.method(argc);
        if (m == null) {
            throw error("wrong number of args for " + name + ": want " + member.methods().getFirst().getParameterCount()
                    + " got " + argc);
        }
        Object[] argv = new Object[argc];
        int k = 0;
        if (args != null) {
            for (int i = 1; i < args.size(); i++) {
                argv[k++] = evalArg(dot, args.get(i));
            }
        }
        if (fin != NO_FINAL) {
            argv[k] = fin;
        }
        Class<?>[] types = m.getParameterTypes();
        Object[] converted = new Object[types.length];
        if (m.isVarArgs()) {
            int fixed = types.length - 1;
            for (int i = 0; i < fixed; i++) {
                converted[i] = convert(argv[i], types[i]);
            }
            Class<?> elem = types[fixed].getComponentType();
            Object rest = java.lang.reflect.Array.newInstance(elem, argc - fixed);
            for (int i = fixed; i < argc; i++) {
                java.lang.reflect.Array.set(rest, i - fixed, convert(argv[i], elem));
            }
            converted[fixed] = rest;
        } else {
            for (int i = 0; i < argc; i++) {
                converted[i] = convert(argv[i], types[i]);
            }
        }
        if (m.getReturnType() == void.class) {
            throw error("can't call method/function " + GoStrings.quote(name) + " with 0 results");
        }
        try {
            return m.invoke(receiver, converted);
        } catch (InvocationTargetException e) {
            at(n);
            throw error("error calling " + name + ": " + messageOf(e.getCause()));
        } catch (IllegalAccessException | IllegalArgumentException e) {
            at(n);
            throw error("error calling " + name + ": " + messageOf(e));
        }
    }

    /** Converts an argument to a Java parameter type, with Go's wrong-type message. */
    private Object convert(Object v, Class<?> type) {
        if (v == Values.NO_VALUE) {
            v = null;
        }
        if (v == null) {
            if (type.isPrimitive() || type == String.class) {
                throw error("invalid value; expected " + goType(type));
            }
            return null;
        }
        if (type == Object.class || type.isInstance(v) && !type.isPrimitive()) {
            return v;
        }
        if ((type == long.class || type == Long.class) && Values.isInt(v)) {
            return Values.intValue(v);
        }
        if ((type == int.class || type == Integer.class) && Values.isInt(v)) {
            return (int) Values.intValue(v);
        }
        if ((type == double.class || type == Double.class) && (Values.isFloat(v) || Values.isInt(v))) {
            return ((Number) v).doubleValue();
        }
        if ((type == boolean.class || type == Boolean.class) && v instanceof Boolean) {
            return v;
        }
        if (type == String.class && (v instanceof SafeHtml || v instanceof SafeUrl)) {
            return v.toString();
        }
        if ((type == List.class || type == java.util.Collection.class || type == Iterable.class) && Values.asList(v) != null) {
            return Values.asList(v);
        }
        if (type == String[].class) {
            try {
                return FunctionArgs.strings(v).toArray(new String[0]);
            } catch (FunctionArgs.WrongTypeException e) {
                throw error(e.getMessage());
            }
        }
        throw error("wrong type for value; expected " + goType(type) + "; got " + Values.typeName(v));
    }

    private static String goType(Class<?> type) {
        if (type == String.class) {
            return "string";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "int";
        }
        if (type == double.class || type == Double.class) {
            return "float64";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "bool";
        }
        if (type == String[].class) {
            return "[]string";
        }
        return type.getSimpleName();
    }

    private Object evalFunction(Object dot, IdentifierNode id, Node cmd, List<Node> args, Object fin) {
        at(id);
        String name = id.name();
        Entry e = functions.get(name);
        if (e == null) {
            throw error(GoStrings.quote(name) + " is not a defined function");
        }
        int argc = (args == null ? 0 : args.size() - 1) + (fin != NO_FINAL ? 1 : 0);
        if (e.maxArgs() < 0 ? argc < e.minArgs() : argc != e.minArgs()) {
            throw error("wrong number of args for " + name + ": want " + (e.maxArgs() < 0 ? "at least " : "")
                    + e.minArgs() + " got " + argc);
        }
        switch (e.kind()) {
            case AND, OR -> {
                boolean or = e.kind() == FunctionSet.Kind.OR;
                Object v = null;
                if (args != null) {
                    for (int i = 1; i < args.size(); i++) {
                        v = evalArg(dot, args.get(i));
                        if (Values.truth(v) == or) {
                            return v;
                        }
                    }
                }
                return fin != NO_FINAL ? fin : v;
            }
            default -> {
                Object[] argv = evalArgs(e, dot, args, fin, argc);
                // As in Go, the node is moved to the command only when the call fails.
                try {
                    return switch (e.kind()) {
                        case TMPL -> tmpl(argv);
                        case CALL -> Builtins.call(args != null && args.size() > 1 ? args.get(1).toString()
                                : Values.print(fin), argv);
                        default -> e.fn().call(argv);
                    };
                } catch (Failure f) {
                    throw f;
                } catch (FunctionArgs.WrongTypeException w) {
                    at(cmd);
                    throw error(w.getMessage());
                } catch (Exception ex) {
                    at(cmd);
                    throw error("error calling " + name + ": " + messageOf(ex));
                }
            }
        }
    }

    private Object[] evalArgs(Entry e, Object dot, List<Node> args, Object fin, int argc) {
        Object[] argv = new Object[argc];
        int k = 0;
        if (args != null) {
            for (int i = 1; i < args.size(); i++, k++) {
                Node n = args.get(i);
                if (e.param(k) == FunctionSet.Param.STRING) {
                    argv[k] = evalStringArg(dot, n);
                } else {
                    Object v = evalArg(dot, n);
                    argv[k] = v == Values.NO_VALUE ? null : v;
                }
            }
        }
        if (fin != NO_FINAL) {
            argv[k] = e.param(k) == FunctionSet.Param.STRING ? checkString(fin) : fin == Values.NO_VALUE ? null : fin;
        }
        return argv;
    }

    /** Go's evaluation of an argument for a {@code string} parameter: constants are checked by their syntax. */
    private Object evalStringArg(Object dot, Node n) {
        at(n);
        return switch (n) {
            case StringNode s -> s.text();
            case BoolNode b -> throw error("expected string; found " + n);
            case NumberNode num -> throw error("expected string; found " + n);
            case NilNode nil -> throw error("cannot assign nil to string");
            default -> checkString(evalArg(dot, n)); // Go reports at the last node evaluated
        };
    }

    private String checkString(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v == Values.NO_VALUE) {
            throw error("invalid value; expected string");
        }
        throw error("wrong type for value; expected string; got " + (v == null ? "interface {}" : Values.typeName(v)));
    }

    /** Prometheus's {@code tmpl}: runs a named template of this set, output trusted as HTML. */
    private Object tmpl(Object[] argv) {
        String name = FunctionArgs.string(argv[0]);
        Tree callee = template.tree(name);
        if (callee == null) {
            throw error("error calling tmpl: template: no template " + GoStrings.quote(name) + " associated with template "
                    + GoStrings.quote(template.name()));
        }
        if (depth >= maxDepth) {
            throw error("exceeded maximum template depth (" + maxDepth + ")");
        }
        StringBuilder sb = new StringBuilder();
        Executor sub = new Executor(template, sb);
        sub.depth = depth + 1;
        try {
            sub.execute(callee, argv[1]);
        } catch (IOException impossible) {
            throw new AssertionError(impossible);
        } catch (Failure f) {
            throw error("error calling tmpl: " + f.getMessage());
        }
        return new SafeHtml(sb.toString());
    }

    static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isEmpty() ? t.getClass().getSimpleName() : m;
    }

    private Object evalArg(Object dot, Node n) {
        at(n);
        return switch (n) {
            case BoolNode b -> b.value();
            case DotNode d -> dot;
            case FieldNode f -> evalFieldNode(dot, f, List.of(f), NO_FINAL);
            case StringNode s -> s.text();
            case VariableNode v -> evalVariableNode(dot, v, null, NO_FINAL);
            case NumberNode num -> num.value();
            case NilNode nil -> null;
            case IdentifierNode id -> evalFunction(dot, id, id, null, NO_FINAL);
            case ChainNode c -> evalChainNode(dot, c, null, NO_FINAL);
            case PipeNode p -> evalPipeline(dot, p);
            default -> throw error("can't handle " + n + " for arg");
        };
    }
}
