import { create } from 'zustand';
import { checkDraft, CommandError, loadSpec, saveSpec, type DraftCheck, type SpecCommand, type SpecDiagnostic, type SpecInput } from '@batchbook/pipeline-core';
import type { OpenedProject, ProjectRef } from '../host/host';
import { EMPTY_HISTORY, record, redo, undo, type History } from './history';

/**
 * The document being edited: the spec as the user wrote it (the form pipeline-core's commands
 * edit), its undo history, what is saved on disk, and the draft check (every problem, by path).
 * Every edit is a named command dispatched here.
 */
export interface DocState {
  readonly project?: OpenedProject;
  /** pipeline.yaml as last read or written: saving patches it, so comments and layout survive. */
  readonly savedText: string;
  readonly savedInput?: SpecInput;
  readonly input?: SpecInput;
  readonly history: History;
  readonly check?: DraftCheck;
  /** The file could not be read as a spec at all (YAML syntax): these say why. */
  readonly loadErrors?: readonly SpecDiagnostic[];
  /** The last command a user tried that did not apply (shown next to the thing, then cleared). */
  readonly refused?: string;
  /** Counts projects opened: a new value means a different document (saving as keeps it). */
  readonly openSeq: number;
}

export interface DocActions {
  open(project: OpenedProject, input?: SpecInput): void;
  close(): void;
  dispatch(command: SpecCommand, coalesce?: string): boolean;
  undo(): string | undefined;
  redo(): string | undefined;
  /** The text saving would write now. */
  textToSave(): string;
  markSaved(text: string, ref: ProjectRef): void;
  replaceInput(input: SpecInput, label: string): void;
}

export function isSpecShaped(v: unknown): v is SpecInput {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return Array.isArray(o['stages']) && typeof o['sources'] === 'object' && o['sources'] !== null;
}

export function emptySpec(name: string): SpecInput {
  return { version: 1, name, sources: {}, stages: [] } as unknown as SpecInput;
}

/** Structural equality of two inputs (specs are small; JSON is the simplest exact comparison). */
export function sameSpec(a: SpecInput | undefined, b: SpecInput | undefined): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

export const useDoc = create<DocState & DocActions>()((set, get) => ({
  savedText: '',
  history: EMPTY_HISTORY,
  openSeq: 0,

  open(project, given) {
    if (given) {
      set((s) => ({ openSeq: s.openSeq + 1, project, savedText: project.specText, savedInput: project.specText ? given : undefined, input: given, history: EMPTY_HISTORY, check: checkDraft(given), loadErrors: undefined, refused: undefined }));
      return;
    }
    const loaded = loadSpec(project.specText);
    if (!isSpecShaped(loaded.input)) {
      set((s) => ({ openSeq: s.openSeq + 1, project, savedText: project.specText, input: undefined, savedInput: undefined, history: EMPTY_HISTORY, check: undefined, loadErrors: loaded.diagnostics, refused: undefined }));
      return;
    }
    const input = loaded.input;
    set((s) => ({ openSeq: s.openSeq + 1, project, savedText: project.specText, savedInput: input, input, history: EMPTY_HISTORY, check: checkDraft(input), loadErrors: undefined, refused: undefined }));
  },

  close() {
    set((s) => ({ openSeq: s.openSeq + 1, project: undefined, input: undefined, savedInput: undefined, savedText: '', history: EMPTY_HISTORY, check: undefined, loadErrors: undefined }));
  },

  dispatch(command, coalesce) {
    const { input, history } = get();
    if (!input) return false;
    try {
      const r = record(history, input, command, performance.now(), coalesce);
      if (r.spec === input) return false;
      set({ input: r.spec, history: r.history, check: checkDraft(r.spec), refused: undefined });
      return true;
    } catch (e) {
      if (e instanceof CommandError) {
        set({ refused: e.message });
        return false;
      }
      throw e;
    }
  },

  undo() {
    const r = undo(get().history);
    if (!r) return undefined;
    set({ input: r.spec, history: r.history, check: checkDraft(r.spec) });
    return r.label;
  },

  redo() {
    const r = redo(get().history);
    if (!r) return undefined;
    set({ input: r.spec, history: r.history, check: checkDraft(r.spec) });
    return r.label;
  },

  textToSave() {
    const { input, savedText } = get();
    if (!input) return savedText;
    return savedText.trim() === '' ? saveSpec('', input) : saveSpec(savedText, input);
  },

  markSaved(text, ref) {
    const { project, input } = get();
    if (!project) return;
    set({ savedText: text, savedInput: input, project: { ...project, ref, specText: text } });
  },

  replaceInput(input, label) {
    get().dispatch({ name: 'replace', label, apply: () => input });
  },
}));

let lastDirty: { input?: SpecInput; saved?: SpecInput; dirty: boolean } = { dirty: false };

export function isDirty(s: DocState): boolean {
  if (s.input !== lastDirty.input || s.savedInput !== lastDirty.saved) {
    lastDirty = { input: s.input, saved: s.savedInput, dirty: s.input !== undefined && !sameSpec(s.input, s.savedInput) };
  }
  return lastDirty.dirty;
}
