// The playground's editor: CodeMirror 6 with the stretch language's highlighting and the
// linter's diagnostics. esbuild bundles this file and the CodeMirror packages it imports
// into one script, dsl/web/playground/editor.js (build.mjs); the page calls
// `StretchEditor.create`. The words to highlight come from the server (dsl/model/words.py),
// not from here, so the language's words are listed in one place only.
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { EditorState, Compartment } from "@codemirror/state";
import { StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { classHighlighter } from "@lezer/highlight";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import { indentWithTab } from "@codemirror/commands";

// A tokenizer for the language (a line-based stream parser is enough: highlighting needs
// words, strings, numbers and comments, not the grammar). `statements` are the words a
// line can start with, `words` every other word the language gives a meaning to.
// A new line is indented as the line above, one level more under a line that opens a
// block (`routine "..."`, `exercise "...":`, `on pain "..."`, `repeat 3:` ...).
const OPENERS = new Set(["routine", "session", "programme", "exercise", "on"]);
const LEVEL = 2;

function stretchLanguage(words) {
  const starts = new Set(words.statements);
  const known = new Set(words.words);
  return StreamLanguage.define({
    name: "stretch",
    token(stream, state) {
      if (stream.sol()) {
        state.first = true;
        state.indent = stream.indentation();
        const code = stream.string.replace(/#.*$/, "").trim();
        state.opens = code.endsWith(":") || OPENERS.has(code.split(/\s/)[0]);
      }
      if (stream.eatSpace()) return null;
      const first = state.first;
      state.first = false;
      if (stream.match(/^#.*/)) return "comment";
      if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
      if (stream.match(/^\{[^}\s]*\}?/)) return "variableName";
      if (stream.match(/^\d+(?:\.\d+)?(?:[a-z]+\d*)*(?:-\d+(?:\.\d+)?[a-z]*)?/)) return "number";
      const word = stream.match(/^[A-Za-z][\w'-]*/);
      if (word) {
        const text = word[0];
        if (first && starts.has(text)) return "keyword";
        if (starts.has(text) || known.has(text)) return "atom";
        return null;
      }
      stream.next();
      return "punctuation";
    },
    indent(state) { return state.indent + (state.opens ? LEVEL : 0); },
    startState() { return { first: true, indent: 0, opens: false }; },
    copyState(state) { return { ...state }; },
    languageData: { commentTokens: { line: "#" } },
  });
}

// A column as the linter counts it (characters, from 1) to an offset in the editor's text
// (UTF-16 code units), clamped to the line.
function offsetOf(doc, line, column) {
  if (line < 1) return 0;
  if (line > doc.lines) return doc.length;
  const found = doc.line(line);
  let offset = 0;
  let characters = 1;
  while (characters < column && offset < found.text.length) {
    const code = found.text.charCodeAt(offset);
    offset += code >= 0xd800 && code < 0xdc00 ? 2 : 1;
    characters += 1;
  }
  return found.from + Math.min(offset, found.text.length);
}

const SEVERITIES = { error: "error", warning: "warning", info: "info" };

function create(parent, { text = "", words, onChange = () => {}, keys = [] }) {
  const language = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        keymap.of([...keys, indentWithTab]),
        language.of(stretchLanguage(words)),
        syntaxHighlighting(classHighlighter),
        lintGutter(),
        EditorView.lineWrapping,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    text() { return view.state.doc.toString(); },
    setText(next) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
    },
    // Diagnostics as the server sends them (1-based line and column, end included).
    show(diagnostics) {
      const doc = view.state.doc;
      const marks = diagnostics.map((d) => {
        const from = offsetOf(doc, d.line, d.column);
        let to = offsetOf(doc, d.endLine, d.endColumn);
        if (to <= from) to = Math.min(from + 1, doc.length);
        return {
          from, to, severity: SEVERITIES[d.severity] || "error",
          source: d.code,
          message: d.hint ? `${d.code} ${d.message} (${d.hint})` : `${d.code} ${d.message}`,
        };
      });
      view.dispatch(setDiagnostics(view.state, marks));
    },
    goTo(line, column) {
      const at = offsetOf(view.state.doc, line, column);
      view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
      view.focus();
    },
    focus() { view.focus(); },
  };
}

window.StretchEditor = { create };
