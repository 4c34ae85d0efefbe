/**
 * The playground's editor (CodeMirror 6): highlighting for herd's AArch64 litmus syntax and the
 * kernel C one, and the diagnostics of the real parser underlined as you type.
 */
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { StreamLanguage, syntaxHighlighting, defaultHighlightStyle, type StringStream } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import type { PageDiagnostic } from '../protocol.js';

const KEYWORDS = new Set(['exists', 'forall', 'locations', 'filter', 'if', 'else', 'int', 'long', 'unsigned', 'u32', 'u64', 'atomic_t', 'atomic_long_t', 'spinlock_t', 'struct', 'srcu_struct', 'void', 'P0', 'P1', 'P2', 'P3']);

interface LitmusState {
  comment: 0 | 1 | 2;
}

/** One tokenizer for both syntaxes: comments `(* *)` (and C's `/* */`, `//`), keywords, instructions, registers, calls. */
const litmus = StreamLanguage.define<LitmusState>({
  startState: () => ({ comment: 0 }),
  token(stream: StringStream, state: LitmusState): string | null {
    if (state.comment !== 0) {
      const close = state.comment === 1 ? '*)' : '*/';
      while (!stream.eol()) {
        if (stream.match(close)) {
          state.comment = 0;
          break;
        }
        stream.next();
      }
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('(*') && !/^[a-zA-Z_]/.test(stream.peek() ?? '')) {
      state.comment = 1;
      return 'comment';
    }
    if (stream.match('/*')) {
      state.comment = 2;
      return 'comment';
    }
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match(/^"[^"]*"?/)) return 'string';
    if (stream.match(/^(0x[0-9a-fA-F]+|\d+)/)) return 'number';
    if (stream.match(/^[WX]([0-9]|[12][0-9]|30|ZR)\b/)) return 'atom';
    if (stream.match(/^[A-Za-z_][\w.]*/)) {
      const word = stream.current();
      if (KEYWORDS.has(word)) return 'keyword';
      if (/^[A-Z][A-Z0-9.]+$/.test(word)) return 'keyword';
      if (stream.peek() === '(') return 'variableName.function';
      return 'variableName';
    }
    stream.next();
    return null;
  },
});

/** Asks the lint worker for the diagnostics of a text. */
export type Lint = (text: string) => Promise<readonly PageDiagnostic[]>;

function toEditor(view: EditorView, d: PageDiagnostic): Diagnostic {
  const doc = view.state.doc;
  const pos = (line: number, col: number) => {
    const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
    return Math.min(l.from + Math.max(col - 1, 0), l.to);
  };
  const from = pos(d.line, d.col);
  const to = Math.max(from, pos(d.endLine, d.endCol));
  return { from, to: to === from ? Math.min(from + 1, doc.length) : to, severity: d.severity, message: d.message };
}

export function createEditor(parent: HTMLElement, text: string, lint: Lint, onChange: () => void): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLine(),
        history(),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        litmus,
        syntaxHighlighting(defaultHighlightStyle),
        lintGutter(),
        linter(async (view) => (await lint(view.state.doc.toString())).map((d) => toEditor(view, d)), { delay: 300 }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange();
        }),
      ],
    }),
  });
}

/** Replace the editor's text. */
export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
