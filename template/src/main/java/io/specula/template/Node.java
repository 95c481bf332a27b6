package io.specula.template;

import java.util.List;

/**
 * The parse tree of a template, one record per construct of Go's text/template. Every node
 * keeps the char offset where it starts (for error positions); {@code toString()} renders it
 * back as template source, which is what execution errors quote ({@code at <.foo>}).
 */
sealed interface Node {
    int pos();

    /** A sequence of nodes: a template body, or a branch of if/range/with. */
    record ListNode(int pos, List<Node> nodes) implements Node {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (Node n : nodes) {
                b.append(n);
            }
            return b.toString();
        }
    }

    /** Plain text copied to the output. */
    record TextNode(int pos, String text) implements Node {
        @Override
        public String toString() {
            return text;
        }
    }

    /** {@code {{pipeline}}}: prints the pipeline's value unless it declares variables. */
    record ActionNode(int pos, PipeNode pipe) implements Node {
        @Override
        public String toString() {
            return "{{" + pipe + "}}";
        }
    }

    /** Commands joined by {@code |}, with optional variable declarations or assignments. */
    record PipeNode(int pos, boolean isAssign, List<VariableNode> decl, List<CommandNode> cmds) implements Node {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < decl.size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                b.append(decl.get(i));
            }
            if (!decl.isEmpty()) {
                b.append(isAssign ? " = " : " := ");
            }
            for (int i = 0; i < cmds.size(); i++) {
                if (i > 0) {
                    b.append(" | ");
                }
                b.append(cmds.get(i));
            }
            return b.toString();
        }
    }

    /** One command: an operand, or a function/method with arguments. */
    record CommandNode(int pos, List<Node> args) implements Node {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) {
                    b.append(' ');
                }
                Node a = args.get(i);
                if (a instanceof PipeNode) {
                    b.append('(').append(a).append(')');
                } else {
                    b.append(a);
                }
            }
            return b.toString();
        }
    }

    /** {@code .A.B}: field or key chain on dot. */
    record FieldNode(int pos, List<String> ident) implements Node {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (String s : ident) {
                b.append('.').append(s);
            }
            return b.toString();
        }
    }

    /** {@code $x.A.B}: a variable (with its {@code $} in ident[0]) and optional field chain. */
    record VariableNode(int pos, List<String> ident) implements Node {
        String name() {
            return ident.getFirst();
        }

        @Override
        public String toString() {
            return String.join(".", ident);
        }
    }

    /** {@code (pipeline).A.B} or {@code fn.A}: fields applied to another operand's value. */
    record ChainNode(int pos, Node node, List<String> field) implements Node {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            if (node instanceof PipeNode) {
                b.append('(').append(node).append(')');
            } else {
                b.append(node);
            }
            for (String f : field) {
                b.append('.').append(f);
            }
            return b.toString();
        }
    }

    /** A function name. */
    record IdentifierNode(int pos, String name) implements Node {
        @Override
        public String toString() {
            return name;
        }
    }

    record DotNode(int pos) implements Node {
        @Override
        public String toString() {
            return ".";
        }
    }

    record NilNode(int pos) implements Node {
        @Override
        public String toString() {
            return "nil";
        }
    }

    record BoolNode(int pos, boolean value) implements Node {
        @Override
        public String toString() {
            return value ? "true" : "false";
        }
    }

    /** A number constant: {@code value} is a Long (Go int) or a Double (Go float64). */
    record NumberNode(int pos, String text, Object value) implements Node {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A string constant; {@code quoted} is its source form. */
    record StringNode(int pos, String quoted, String text) implements Node {
        @Override
        public String toString() {
            return quoted;
        }
    }

    /** The kinds of control structure sharing {@link BranchNode}. */
    enum Branch {
        IF, RANGE, WITH
    }

    /** {@code if}, {@code range} and {@code with}: a pipeline, a body and an optional else. */
    record BranchNode(Branch kind, int pos, PipeNode pipe, ListNode list, ListNode elseList) implements Node {
        @Override
        public String toString() {
            String name = kind.name().toLowerCase(java.util.Locale.ROOT);
            String s = "{{" + name + " " + pipe + "}}" + list;
            if (elseList != null) {
                s += "{{else}}" + elseList;
            }
            return s + "{{end}}";
        }
    }

    /** {@code {{template "name" pipeline}}}. */
    record TemplateNode(int pos, String name, PipeNode pipe) implements Node {
        @Override
        public String toString() {
            return "{{template " + GoStrings.quote(name) + (pipe == null ? "" : " " + pipe) + "}}";
        }
    }

    record BreakNode(int pos) implements Node {
        @Override
        public String toString() {
            return "{{break}}";
        }
    }

    record ContinueNode(int pos) implements Node {
        @Override
        public String toString() {
            return "{{continue}}";
        }
    }
}
