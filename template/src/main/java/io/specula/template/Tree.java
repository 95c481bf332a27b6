package io.specula.template;

import io.specula.template.Node.ListNode;
import io.specula.template.Node.TextNode;
import java.nio.charset.StandardCharsets;

/**
 * One named template's parse tree. {@code parseName} is the name of the top-level template
 * whose text contained it (a {@code define} inside file "a.tmpl" has parse name "a.tmpl"),
 * and {@code text} that whole source, so positions can be turned into line:column.
 */
record Tree(String name, String parseName, String text, ListNode root) {

    /** Go's {@code ErrorContext} location: {@code parseName:line:byteColumn} (column 0-based). */
    String location(int pos) {
        return parseName + ":" + line(pos) + ":" + column(pos);
    }

    int line(int pos) {
        int line = 1;
        int end = Math.min(pos, text.length());
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    int column(int pos) {
        int end = Math.min(pos, text.length());
        int lineStart = text.lastIndexOf('\n', end - 1) + 1;
        return text.substring(lineStart, end).getBytes(StandardCharsets.UTF_8).length;
    }

    /** True when the tree holds only white space text: Go's {@code IsEmptyTree}. */
    boolean isEmpty() {
        for (Node n : root.nodes()) {
            if (!(n instanceof TextNode t) || !t.text().isBlank()) {
                return false;
            }
        }
        return true;
    }
}
