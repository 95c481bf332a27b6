import { useEffect, useRef } from "react";
import { EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap, placeholder, highlightSpecialChars, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, insertNewlineAndIndent } from "@codemirror/commands";
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, completionStatus } from "@codemirror/autocomplete";
import { bracketMatching, syntaxHighlighting, defaultHighlightStyle, HighlightStyle } from "@codemirror/language";
import { lintKeymap } from "@codemirror/lint";
import { tags } from "@lezer/highlight";
import { useComputedColorScheme } from "@mantine/core";
import { promqlExtension } from "../lib/promqlEditor";

const darkHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: "#c792ea" }, { tag: tags.function(tags.variableName), color: "#82aaff" },
  { tag: tags.string, color: "#c3e88d" }, { tag: tags.number, color: "#f78c6c" },
  { tag: tags.labelName, color: "#ffcb6b" }, { tag: tags.operator, color: "#89ddff" },
]);

interface Props {
  value: string;
  onChange: (v: string) => void;
  onRun: () => void;
  /** Lets the parent insert text (metrics explorer) at the cursor. */
  viewRef?: React.MutableRefObject<EditorView | null>;
}

/** CodeMirror 6 with PromQL: Enter runs (unless a completion is open), Shift+Enter adds a line. */
export function PromQLEditor({ value, onChange, onRun, viewRef }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const cb = useRef({ onChange, onRun });
  cb.current = { onChange, onRun };
  const dark = useComputedColorScheme("light") === "dark";

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          highlightSpecialChars(), history(), drawSelection(), bracketMatching(), closeBrackets(),
          autocompletion(), placeholder("Enter expression (press Shift+Enter for newlines)"),
          syntaxHighlighting(dark ? darkHighlight : defaultHighlightStyle),
          promqlExtension().asExtension(),
          EditorView.lineWrapping,
          EditorView.theme({ "&": { fontSize: "14px" }, ".cm-content": { fontFamily: "monospace" },
            "&.cm-focused": { outline: "none" } }, { dark }),
          Prec.highest(keymap.of([
            { key: "Enter", run: (ev) => { if (completionStatus(ev.state) === "active") return false; cb.current.onRun(); return true; } },
            { key: "Shift-Enter", run: insertNewlineAndIndent },
          ])),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
          EditorView.updateListener.of((u) => { if (u.docChanged) cb.current.onChange(u.state.doc.toString()); }),
        ],
      }),
    });
    view.current = v;
    if (viewRef) viewRef.current = v;
    return () => { v.destroy(); view.current = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dark]);

  // External value changes (history, format, explorer) replace the document.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={host} className="promql-editor" data-testid="promql-editor"
    style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 4, padding: "4px 6px", flex: 1, minWidth: 0 }} />;
}
