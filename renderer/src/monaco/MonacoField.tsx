import { useEffect, useRef, type ReactElement } from 'react';
import Editor, { type OnMount } from '@monaco-editor/react';
import { checkExpression, parameterTypes, type DataType } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';
import { useUi } from '../store/uiStore';
import type { ExprFieldProps } from '../editors/ExprField';
import { monaco } from './setup';
import { hoverFor, suggestions, type Suggestion } from './completion';
import { registerFocusTarget } from '../editors/focusTargets';

type Monaco = typeof monaco;

/** Leaves the editor for its cell (command mode), or just blurs it outside the notebook. */
function leaveToCell(node: HTMLElement): void {
  const cell = node.closest<HTMLElement>('section[data-cell]');
  if (cell) cell.focus({ preventScroll: true });
  else (document.activeElement as HTMLElement | null)?.blur();
}
type Editor = Parameters<OnMount>[0];

const KIND: Record<Suggestion['kind'], number> = {
  column: monaco.languages.CompletionItemKind.Field,
  function: monaco.languages.CompletionItemKind.Function,
  param: monaco.languages.CompletionItemKind.Variable,
  keyword: monaco.languages.CompletionItemKind.Keyword,
  table: monaco.languages.CompletionItemKind.Class,
};

function useParamTypes(): Readonly<Record<string, DataType>> {
  const analysis = useDoc((s) => s.check?.analysis);
  const runnable = useDoc((s) => s.check?.runnable);
  return analysis?.paramTypes ?? (runnable ? parameterTypes(runnable) : { run_date: 'date' });
}

/**
 * Monaco for an expression or a custom-SQL cell: SQL highlighting, completion of the cell's
 * input columns and the expression functions, squiggles from pipeline-core's type checker,
 * hover with a column's type. Providers are registered per editor (answering only for its own
 * model) and disposed when the field goes away, so suggestions never pile up.
 */
export default function MonacoField(props: ExprFieldProps): ReactElement {
  const theme = useUi((s) => s.theme);
  const params = useParamTypes();
  const editorRef = useRef<Editor | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const paramsRef = useRef(params);
  paramsRef.current = params;
  const lines = props.lines ?? 1;

  const check = () => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    const p = latest.current;
    if ((p.language ?? 'expr') !== 'expr' || !p.columns) return monaco.editor.setModelMarkers(model, 'batchbook', []);
    const text = model.getValue();
    const errors = text.trim() === '' ? [] : checkExpression(text, p.columns, paramsRef.current).errors;
    monaco.editor.setModelMarkers(
      model,
      'batchbook',
      errors.map((e) => {
        const start = model.getPositionAt(e.start);
        const end = model.getPositionAt(Math.max(e.end, e.start + 1));
        return { severity: monaco.MarkerSeverity.Error, message: e.hint ? `${e.message}\n${e.hint}` : e.message, startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column };
      }),
    );
  };

  // the value last given from outside: only a change of it (undo, another view) replaces the text,
  // so a half-typed expression held back below is not overwritten by the older valid one
  const lastValue = useRef(props.value);
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    const changed = props.value !== lastValue.current;
    lastValue.current = props.value;
    if (editor && model && changed && model.getValue() !== props.value) {
      // an undo or another view changed the text: replace it as one edit, keeping the cursor if it can
      const pos = editor.getPosition();
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: props.value }], () => null);
      if (pos) editor.setPosition(pos);
    }
    check();
  });

  useEffect(() => () => editorRef.current?.getModel()?.dispose(), []);

  const apply = (v: string) => {
    const text = lines === 1 ? v.replace(/\r?\n/g, ' ') : v;
    if (text !== latest.current.value) latest.current.onChange(text);
  };
  const incomplete = (text: string): boolean => {
    const p = latest.current;
    if ((p.language ?? 'expr') !== 'expr' || !p.columns || text.trim() === '') return false;
    return checkExpression(text, p.columns, paramsRef.current).errors.length > 0;
  };

  const onMount: OnMount = (editor, m: Monaco) => {
    editorRef.current = editor;
    editor.onDidBlurEditorText(() => apply(editor.getValue()));
    // squiggles follow every keystroke, also while a half-typed expression is held back
    editor.onDidChangeModelContent(() => check());
    const unregister = registerFocusTarget(editor.getContainerDomNode().closest('[data-focus-target]') ?? editor.getContainerDomNode(), () => editor.focus());
    const model = editor.getModel()!;
    const mine = (x: { uri: { toString(): string } }) => x.uri.toString() === model.uri.toString();
    const completion = m.languages.registerCompletionItemProvider('sql', {
      triggerCharacters: ['$', '.'],
      provideCompletionItems(target, position) {
        if (!mine(target)) return { suggestions: [] };
        const word = target.getWordUntilPosition(position);
        const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
        const p = latest.current;
        return {
          suggestions: suggestions(p.columns, paramsRef.current, p.language ?? 'expr', p.tables).map((s, i) => ({
            label: { label: s.label, description: s.detail },
            kind: KIND[s.kind],
            insertText: s.insertText,
            ...(s.snippet ? { insertTextRules: m.languages.CompletionItemInsertTextRule.InsertAsSnippet } : {}),
            detail: s.detail,
            ...(s.documentation ? { documentation: s.documentation } : {}),
            sortText: `${s.kind === 'column' ? 0 : s.kind === 'table' ? 1 : s.kind === 'param' ? 2 : s.kind === 'function' ? 3 : 4}${String(i).padStart(4, '0')}`,
            range,
          })),
        };
      },
    });
    const hover = m.languages.registerHoverProvider('sql', {
      provideHover(target, position) {
        if (!mine(target)) return null;
        const word = target.getWordAtPosition(position);
        const text = word ? hoverFor(word.word, latest.current.columns, latest.current.tables) : undefined;
        return text && word ? { contents: [{ value: text }], range: { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn } } : null;
      },
    });
    if (lines === 1) {
      // one line: Enter accepts a suggestion or leaves the field (back to its cell), never breaks the line
      editor.addCommand(m.KeyCode.Enter, () => leaveToCell(editor.getContainerDomNode()), '!suggestWidgetVisible');
    }
    editor.onDidDispose(() => {
      unregister();
      completion.dispose();
      hover.dispose();
    });
    check();
  };

  return (
    <div className="monaco-field" data-focus-target data-testid={props.testId} style={{ height: lines === 1 ? 28 : lines * 19 + 10 }}>
      <Editor
        value={props.value}
        language="sql"
        path={`batchbook://field/${props.path.join('/')}`}
        theme={theme === 'dark' ? 'batchbook-dark' : 'batchbook-light'}
        onMount={onMount}
        onChange={(v) => {
          // typing waits for a valid expression: "amo" on the way to "amount" neither flashes an
          // error nor blocks the cells below; leaving the field applies whatever is there
          if (v !== undefined && !incomplete(v)) apply(v);
        }}
        loading={null}
        options={{
          minimap: { enabled: false },
          lineNumbers: lines === 1 ? 'off' : 'on',
          lineNumbersMinChars: 3,
          glyphMargin: false,
          folding: false,
          lineDecorationsWidth: lines === 1 ? 6 : 4,
          renderLineHighlight: 'none',
          overviewRulerLanes: 0,
          hideCursorInOverviewRuler: true,
          scrollBeyondLastLine: false,
          scrollbar: lines === 1 ? { vertical: 'hidden', horizontal: 'hidden', handleMouseWheel: false } : { verticalScrollbarSize: 8, horizontalScrollbarSize: 8 },
          wordWrap: lines === 1 ? 'off' : 'on',
          fixedOverflowWidgets: true,
          fontSize: 12,
          fontFamily: "'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace",
          padding: lines === 1 ? { top: 5, bottom: 0 } : { top: 4, bottom: 4 },
          automaticLayout: true,
          contextmenu: false,
          quickSuggestions: { other: true, comments: false, strings: false },
          suggestOnTriggerCharacters: true,
          tabSize: 2,
          // screen readers get the text; Tab moves the focus on instead of indenting (no keyboard trap)
          accessibilitySupport: 'on',
          tabFocusMode: true,
          ariaLabel: props.ariaLabel ?? props.path.join('.'),
          placeholder: props.placeholder,
        }}
      />
    </div>
  );
}

