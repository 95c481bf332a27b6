package io.specula.template;

import io.specula.template.Node.BoolNode;
import io.specula.template.Node.Branch;
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
import io.specula.template.Node.ActionNode;
import io.specula.template.Node.VariableNode;
import io.specula.template.Token.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Recursive-descent parser for Go's text/template grammar. It checks what Go checks at parse
 * time (functions exist, variables are in scope, break/continue inside range, pipeline shape)
 * and reports errors as {@code template: NAME:LINE: message}.
 */
final class Parser {
    /** Pseudo nodes ending an item list; they never enter the tree. */
    private record End(int pos) {
        @Override
        public String toString() {
            return "{{end}}";
        }
    }

    private record Else(int pos) {
        @Override
        public String toString() {
            return "{{else}}";
        }
    }

    private static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final String parseName;
    private final String text;
    private final Predicate<String> functions;
    private final List<Token> tokens;
    private final Map<String, Tree> trees = new LinkedHashMap<>();
    private int index;
    private Token last;
    private List<String> vars = new ArrayList<>();
    private int rangeDepth;
    private int actionLine;
    private int nesting;

    private Parser(String parseName, String text, Predicate<String> functions) {
        this.parseName = parseName;
        this.text = text;
        this.functions = functions;
        this.tokens = Lexer.lex(text);
    }

    /**
     * Parses {@code text} as template {@code name}, returning it and the templates it defines,
     * in definition order (the top-level tree last).
     */
    static Map<String, Tree> parse(String name, String text, Predicate<String> functions) throws TemplateException {
        Parser p = new Parser(name, text, functions);
        try {
            p.vars.add("$");
            ListNode root = p.parseTop();
            p.add(new Tree(name, name, text, root));
            return p.trees;
        } catch (Failure f) {
            throw new TemplateException(f.getMessage(), p.last == null ? 1 : p.last.line(), -1);
        }
    }

    // ---- token stream ----

    private Token next() {
        Token t = peek();
        index++;
        last = t;
        return t;
    }

    private void backup() {
        index--;
    }

    /** The current token; past the end, the final EOF or error token repeats. */
    private Token peek() {
        return tokens.get(Math.min(index, tokens.size() - 1));
    }

    private Token nextNonSpace() {
        Token t;
        do {
            t = next();
        } while (t.kind() == Kind.SPACE);
        return t;
    }

    private Token peekNonSpace() {
        Token t = nextNonSpace();
        backup();
        return t;
    }

    private Failure error(String message) {
        int line = last == null ? 1 : last.line();
        return new Failure("template: " + parseName + ":" + line + ": " + message);
    }

    private Failure unexpected(Token t, String context) {
        if (t.kind() == Kind.ERROR) {
            String extra = "";
            if (actionLine != 0 && actionLine != t.line()) {
                extra = " in action started at " + parseName + ":" + actionLine;
                if (t.val().endsWith(" action")) {
                    extra = extra.substring(" in action".length());
                }
            }
            return error(t.val() + extra);
        }
        return error("unexpected " + t.describe() + " in " + context);
    }

    private Token expect(Kind kind, String context) {
        Token t = nextNonSpace();
        if (t.kind() != kind) {
            throw unexpected(t, context);
        }
        return t;
    }

    // ---- structure ----

    private ListNode parseTop() {
        List<Node> nodes = new ArrayList<>();
        int pos = peek().pos();
        while (peek().kind() != Kind.EOF) {
            if (peek().kind() == Kind.LEFT_DELIM) {
                int mark = index;
                next();
                if (nextNonSpace().kind() == Kind.DEFINE) {
                    parseDefinition();
                    continue;
                }
                index = mark;
            }
            Object n = textOrAction();
            if (n instanceof End || n instanceof Else) {
                throw error("unexpected " + n);
            }
            nodes.add((Node) n);
        }
        return new ListNode(pos, nodes);
    }

    private void parseDefinition() {
        String context = "define clause";
        Token nameTok = nextNonSpace();
        if (nameTok.kind() != Kind.STRING && nameTok.kind() != Kind.RAW_STRING) {
            throw unexpected(nameTok, context);
        }
        String name = unquote(nameTok);
        expect(Kind.RIGHT_DELIM, context);
        List<String> savedVars = vars;
        int savedRange = rangeDepth;
        vars = new ArrayList<>(List.of("$"));
        rangeDepth = 0;
        ListResult body = itemList();
        if (!(body.end instanceof End)) {
            throw error("unexpected " + body.end + " in " + context);
        }
        vars = savedVars;
        rangeDepth = savedRange;
        add(new Tree(name, parseName, text, body.list));
    }

    private void add(Tree tree) {
        Tree existing = trees.get(tree.name());
        if (existing == null || existing.isEmpty()) {
            trees.remove(tree.name()); // keep definition order: re-insert at the end
            trees.put(tree.name(), tree);
            return;
        }
        if (!tree.isEmpty()) {
            throw error("template: multiple definition of template " + GoStrings.quote(tree.name()));
        }
    }

    private record ListResult(ListNode list, Object end) {}

    private ListResult itemList() {
        List<Node> nodes = new ArrayList<>();
        int pos = peekNonSpace().pos();
        while (peekNonSpace().kind() != Kind.EOF) {
            Object n = textOrAction();
            if (n instanceof End || n instanceof Else) {
                return new ListResult(new ListNode(pos, nodes), n);
            }
            nodes.add((Node) n);
        }
        throw error("unexpected EOF");
    }

    private Object textOrAction() {
        Token t = nextNonSpace();
        return switch (t.kind()) {
            case TEXT -> new TextNode(t.pos(), t.val());
            case LEFT_DELIM -> {
                int saved = actionLine;
                actionLine = t.line();
                try {
                    yield action();
                } finally {
                    actionLine = saved;
                }
            }
            default -> throw unexpected(t, "input");
        };
    }

    private Object action() {
        Token t = nextNonSpace();
        switch (t.kind()) {
            case BLOCK:
                return blockControl();
            case BREAK:
                return breakOrContinue(t, "break");
            case CONTINUE:
                return breakOrContinue(t, "continue");
            case ELSE:
                return elseControl();
            case END:
                return new End(expect(Kind.RIGHT_DELIM, "end").pos());
            case IF:
                return control(Branch.IF, t);
            case RANGE:
                return control(Branch.RANGE, t);
            case TEMPLATE:
                return templateControl();
            case WITH:
                return control(Branch.WITH, t);
            default:
                break;
        }
        backup();
        Token first = peek();
        return new ActionNode(first.pos(), pipeline("command", Kind.RIGHT_DELIM));
    }

    private Node breakOrContinue(Token t, String word) {
        Token n = nextNonSpace();
        if (n.kind() != Kind.RIGHT_DELIM) {
            throw unexpected(n, "{{" + word + "}}");
        }
        if (rangeDepth == 0) {
            throw error("{{" + word + "}} outside {{range}}");
        }
        return word.equals("break") ? new BreakNode(t.pos()) : new ContinueNode(t.pos());
    }

    private Object elseControl() {
        Token p = peekNonSpace();
        if (p.kind() == Kind.IF || p.kind() == Kind.WITH) {
            return new Else(p.pos());
        }
        Token t = nextNonSpace();
        if (t.kind() != Kind.RIGHT_DELIM) {
            throw unexpected(t, "else");
        }
        return new Else(t.pos());
    }

    private BranchNode control(Branch kind, Token keyword) {
        String context = kind.name().toLowerCase(java.util.Locale.ROOT);
        int mark = vars.size();
        if (++nesting > 10_000) {
            throw error("template nesting too deep");
        }
        try {
            PipeNode pipe = pipeline(context, Kind.RIGHT_DELIM);
            if (kind == Branch.RANGE) {
                rangeDepth++;
            }
            ListResult body = itemList();
            if (kind == Branch.RANGE) {
                rangeDepth--;
            }
            ListNode elseList = null;
            if (body.end instanceof Else e) {
                if (kind == Branch.IF && peek().kind() == Kind.IF) {
                    Token t = next();
                    elseList = new ListNode(e.pos(), List.of(control(Branch.IF, t)));
                } else if (kind == Branch.WITH && peek().kind() == Kind.WITH) {
                    Token t = next();
                    elseList = new ListNode(e.pos(), List.of(control(Branch.WITH, t)));
                } else {
                    ListResult rest = itemList();
                    if (!(rest.end instanceof End)) {
                        throw error("expected end; found " + rest.end);
                    }
                    elseList = rest.list;
                }
            }
            return new BranchNode(kind, pipe.pos(), pipe, body.list, elseList);
        } finally {
            nesting--;
            while (vars.size() > mark) {
                vars.removeLast();
            }
        }
    }

    private TemplateNode blockControl() {
        String context = "block clause";
        Token nameTok = nextNonSpace();
        String name = templateName(nameTok, context);
        PipeNode pipe = pipeline(context, Kind.RIGHT_DELIM);
        List<String> savedVars = vars;
        int savedRange = rangeDepth;
        vars = new ArrayList<>(List.of("$"));
        rangeDepth = 0;
        ListResult body = itemList();
        if (!(body.end instanceof End)) {
            throw error("unexpected " + body.end + " in " + context);
        }
        vars = savedVars;
        rangeDepth = savedRange;
        add(new Tree(name, parseName, text, body.list));
        return new TemplateNode(nameTok.pos(), name, pipe);
    }

    private TemplateNode templateControl() {
        String context = "template clause";
        Token nameTok = nextNonSpace();
        String name = templateName(nameTok, context);
        PipeNode pipe = null;
        if (nextNonSpace().kind() != Kind.RIGHT_DELIM) {
            backup();
            pipe = pipeline(context, Kind.RIGHT_DELIM);
        }
        return new TemplateNode(nameTok.pos(), name, pipe);
    }

    private String templateName(Token t, String context) {
        if (t.kind() == Kind.STRING || t.kind() == Kind.RAW_STRING) {
            return unquote(t);
        }
        throw unexpected(t, context);
    }

    private String unquote(Token t) {
        try {
            return GoStrings.unquote(t.val());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    // ---- pipelines ----

    private PipeNode pipeline(String context, Kind end) {
        Token first = peekNonSpace();
        boolean isAssign = false;
        List<VariableNode> decl = new ArrayList<>(0);
        decls:
        while (true) {
            Token v = peekNonSpace();
            if (v.kind() != Kind.VARIABLE) {
                break;
            }
            next();
            int afterVar = index;
            Token tokenAfterVariable = peek();
            Token n = peekNonSpace();
            if (n.kind() == Kind.ASSIGN || n.kind() == Kind.DECLARE) {
                isAssign = n.kind() == Kind.ASSIGN;
                nextNonSpace();
                decl.add(new VariableNode(v.pos(), List.of(v.val())));
                vars.add(v.val());
                break;
            } else if (n.kind() == Kind.COMMA) {
                nextNonSpace();
                decl.add(new VariableNode(v.pos(), List.of(v.val())));
                vars.add(v.val());
                if (context.equals("range") && decl.size() < 2) {
                    Kind k = peekNonSpace().kind();
                    if (k == Kind.VARIABLE || k == Kind.RIGHT_DELIM || k == Kind.RIGHT_PAREN) {
                        continue decls;
                    }
                    throw error("range can only initialize variables");
                }
                throw error("too many declarations in " + context);
            } else if (tokenAfterVariable.kind() == Kind.SPACE) {
                index = afterVar - 1; // back to the variable
                break;
            } else {
                index = afterVar - 1;
                break;
            }
        }
        List<CommandNode> cmds = new ArrayList<>(2);
        while (true) {
            Token t = nextNonSpace();
            if (t.kind() == end) {
                PipeNode pipe = new PipeNode(first.pos(), isAssign, List.copyOf(decl), List.copyOf(cmds));
                checkPipeline(pipe, context);
                return pipe;
            }
            switch (t.kind()) {
                case BOOL, CHAR, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING, VARIABLE, LEFT_PAREN -> {
                    backup();
                    cmds.add(command());
                }
                default -> throw unexpected(t, context);
            }
        }
    }

    private void checkPipeline(PipeNode pipe, String context) {
        if (pipe.cmds().isEmpty()) {
            throw error("missing value for " + context);
        }
        for (int i = 1; i < pipe.cmds().size(); i++) {
            Node a = pipe.cmds().get(i).args().getFirst();
            if (a instanceof BoolNode || a instanceof DotNode || a instanceof NilNode || a instanceof NumberNode
                    || a instanceof StringNode) {
                throw error("non executable command in pipeline stage " + (i + 1));
            }
        }
    }

    private CommandNode command() {
        int pos = peekNonSpace().pos();
        List<Node> args = new ArrayList<>(3);
        while (true) {
            peekNonSpace();
            Node operand = operand();
            if (operand != null) {
                args.add(operand);
            }
            Token t = next();
            switch (t.kind()) {
                case SPACE:
                    continue;
                case RIGHT_DELIM, RIGHT_PAREN:
                    backup();
                    break;
                case PIPE:
                    break;
                default:
                    throw unexpected(t, "operand");
            }
            break;
        }
        if (args.isEmpty()) {
            throw error("empty command");
        }
        return new CommandNode(pos, List.copyOf(args));
    }

    private Node operand() {
        Node node = term();
        if (node == null) {
            return null;
        }
        if (peek().kind() == Kind.FIELD) {
            int pos = peek().pos();
            List<String> fields = new ArrayList<>(2);
            while (peek().kind() == Kind.FIELD) {
                fields.add(next().val().substring(1));
            }
            return switch (node) {
                case FieldNode f -> {
                    List<String> all = new ArrayList<>(f.ident());
                    all.addAll(fields);
                    yield new FieldNode(pos, List.copyOf(all));
                }
                case VariableNode v -> {
                    List<String> all = new ArrayList<>(v.ident());
                    all.addAll(fields);
                    yield new VariableNode(pos, List.copyOf(all));
                }
                case BoolNode b -> throw error("unexpected . after term " + GoStrings.quote(b.toString()));
                case StringNode s -> throw error("unexpected . after term " + GoStrings.quote(s.toString()));
                case NumberNode n -> throw error("unexpected . after term " + GoStrings.quote(n.toString()));
                case NilNode n -> throw error("unexpected . after term " + GoStrings.quote(n.toString()));
                case DotNode d -> throw error("unexpected . after term " + GoStrings.quote(d.toString()));
                default -> new ChainNode(pos, node, List.copyOf(fields));
            };
        }
        return node;
    }

    private Node term() {
        Token t = nextNonSpace();
        switch (t.kind()) {
            case IDENTIFIER:
                if (!functions.test(t.val())) {
                    throw error("function " + GoStrings.quote(t.val()) + " not defined");
                }
                return new IdentifierNode(t.pos(), t.val());
            case DOT:
                return new DotNode(t.pos());
            case NIL:
                return new NilNode(t.pos());
            case VARIABLE:
                if (!vars.contains(t.val())) {
                    throw error("undefined variable " + GoStrings.quote(t.val()));
                }
                return new VariableNode(t.pos(), List.of(t.val()));
            case FIELD:
                return new FieldNode(t.pos(), List.of(t.val().substring(1)));
            case BOOL:
                return new BoolNode(t.pos(), t.val().equals("true"));
            case CHAR, NUMBER:
                return number(t);
            case LEFT_PAREN:
                if (++nesting > 10_000) {
                    throw error("template nesting too deep");
                }
                try {
                    return pipeline("parenthesized pipeline", Kind.RIGHT_PAREN);
                } finally {
                    nesting--;
                }
            case STRING, RAW_STRING:
                return new StringNode(t.pos(), t.val(), unquote(t));
            default:
                backup();
                return null;
        }
    }

    private NumberNode number(Token t) {
        String text = t.val();
        if (t.kind() == Kind.CHAR) {
            String s;
            try {
                s = GoStrings.unquote(text);
            } catch (IllegalArgumentException e) {
                String body = text.substring(1, text.length() - 1);
                boolean oneRune = body.codePointCount(0, body.length()) == 1 || body.startsWith("\\");
                throw error(oneRune ? e.getMessage() : "malformed character constant: " + text);
            }
            return new NumberNode(t.pos(), text, (long) s.codePointAt(0));
        }
        Object value = parseNumber(text);
        if (value == null) {
            throw error("illegal number syntax: " + GoStrings.quote(text));
        }
        return new NumberNode(t.pos(), text, value);
    }

    /** Go's constant rules: integer syntax gives an int (Long), a fraction or exponent a float64. */
    static Object parseNumber(String text) {
        if (text.endsWith("i")) {
            return null; // complex constants: not supported
        }
        String s = text;
        boolean neg = false;
        if (s.startsWith("+") || s.startsWith("-")) {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.isEmpty() || s.startsWith("_") || s.endsWith("_") || s.contains("__")) {
            return null;
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        boolean hex = lower.startsWith("0x");
        boolean floatSyntax = hex ? lower.contains("p") || lower.contains(".") : lower.contains(".") || lower.contains("e");
        String digits = s.replace("_", "");
        if (!floatSyntax) {
            int radix = 10;
            String body = digits;
            if (hex) {
                radix = 16;
                body = digits.substring(2);
            } else if (lower.startsWith("0o")) {
                radix = 8;
                body = digits.substring(2);
            } else if (lower.startsWith("0b")) {
                radix = 2;
                body = digits.substring(2);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                radix = 8;
                body = digits.substring(1);
            }
            try {
                BigInteger v = new BigInteger(body, radix);
                if (neg) {
                    v = v.negate();
                }
                return v.bitLength() < 64 ? (Object) v.longValue() : null;
            } catch (NumberFormatException e) {
                if (radix == 8 && !lower.startsWith("0o")) {
                    try { // "08" is not octal but Go still reads it as the float 8, an int
                        return neg ? -Long.parseLong(digits) : Long.parseLong(digits);
                    } catch (NumberFormatException e2) {
                        return null;
                    }
                }
                return null;
            }
        }
        try {
            if (hex && !lower.contains("p")) {
                return null;
            }
            double d = Double.parseDouble(digits);
            return neg ? -d : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
