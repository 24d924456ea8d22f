import { loadSpec, type SpecInput } from '@batchbook/pipeline-core';
import type { Host, OpenedProject } from '../host/host';
import { isDirty, isSpecShaped, useDoc } from '../store/docStore';
import { toast, useUi } from '../store/uiStore';

/** Opening, saving and recovering documents: what the start screen, menus and shortcuts call. */
export interface RecoveryOffer {
  readonly projectId: string;
  readonly text: string;
  readonly savedAt: string;
}

let offer: RecoveryOffer | undefined;
const listeners = new Set<() => void>();

export function recoveryOffer(): RecoveryOffer | undefined {
  return offer;
}

export function onRecoveryOffer(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

function setOffer(o: RecoveryOffer | undefined): void {
  offer = o;
  for (const l of listeners) l();
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function openProject(host: Host, open: () => Promise<OpenedProject | undefined>, input?: SpecInput): Promise<boolean> {
  let project: OpenedProject | undefined;
  try {
    project = await open();
  } catch (e) {
    toast(message(e), 'error');
    return false;
  }
  if (!project) return false;
  useDoc.getState().open(project, input);
  useUi.setState({ selected: undefined });
  host.setDocument(project.ref.name, false);
  const copy = await host.recovery.read(project.ref.id).catch(() => undefined);
  setOffer(copy && copy.text !== project.specText ? { projectId: project.ref.id, ...copy } : undefined);
  return true;
}

/** Puts the recovered work in place of what was opened, as one undoable edit. */
export function restoreRecovery(): void {
  if (!offer) return;
  const loaded = loadSpec(offer.text).input;
  setOffer(undefined);
  if (!isSpecShaped(loaded)) return toast('The recovery copy cannot be read as a pipeline', 'error');
  useDoc.getState().replaceInput(loaded, 'Restore unsaved changes');
  toast('Recovered your unsaved changes', 'success');
}

export async function discardRecovery(host: Host): Promise<void> {
  if (!offer) return;
  await host.recovery.clear(offer.projectId).catch(() => undefined);
  setOffer(undefined);
}

export async function save(host: Host): Promise<boolean> {
  const doc = useDoc.getState();
  if (!doc.project || !doc.input) return false;
  const text = doc.textToSave();
  const before = doc.project.ref;
  try {
    const out = await host.saveSpec(before, text);
    if (!out.saved) return false;
    useDoc.getState().markSaved(text, out.ref);
    await host.recovery.clear(before.id).catch(() => undefined);
    host.setDocument(out.ref.name, false);
    toast(`Saved ${out.where}`, 'success');
    return true;
  } catch (e) {
    toast(`Could not save: ${message(e)}`, 'error');
    return false;
  }
}

/**
 * Keeps a recovery copy of unsaved work (a second after the last edit) so a crash or a closed
 * tab loses nothing; the copy is offered back the next time the project opens.
 */
export function startAutosave(host: Host, delayMs = 1000): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = useDoc.subscribe((s, prev) => {
    if (s.input === prev.input && s.savedInput === prev.savedInput) return;
    if (s.project) host.setDocument(s.project.ref.name, isDirty(s));
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const now = useDoc.getState();
      if (!now.project) return;
      if (isDirty(now)) void host.recovery.write(now.project.ref.id, now.textToSave()).catch(() => undefined);
      else void host.recovery.clear(now.project.ref.id).catch(() => undefined);
    }, delayMs);
  });
  return () => {
    if (timer) clearTimeout(timer);
    unsubscribe();
  };
}
