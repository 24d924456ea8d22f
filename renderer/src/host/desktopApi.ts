import type { MenuCommand, OpenedProject, RecentProject, RecoveryCopy, RunEvent, RunResult, SaveOutcome } from './host';

/**
 * The functions Electron's preload puts on `window.batchbook`: named and typed, one per thing the
 * renderer may ask of the main process (no generic channel). electron/src/preload.cts implements
 * the same shape; e2e/designer/contract.typecheck.ts checks the two stay alike.
 */
export interface DesktopFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface DesktopApi {
  openFolder(): Promise<OpenedProject | null>;
  recentProjects(): Promise<RecentProject[]>;
  openRecent(id: string): Promise<OpenedProject | null>;
  readProjectFiles(projectId: string, paths: string[]): Promise<DesktopFile[]>;
  saveSpec(projectId: string, text: string): Promise<SaveOutcome>;
  /** Asks for a folder and writes pipeline.yaml plus the given data files into it. */
  saveProjectAs(name: string, text: string, files: DesktopFile[]): Promise<SaveOutcome>;
  writeRecovery(projectId: string, text: string): Promise<void>;
  readRecovery(projectId: string): Promise<RecoveryCopy | null>;
  clearRecovery(projectId: string): Promise<void>;
  runPipeline(projectId: string, params: Record<string, string>): Promise<string>;
  cancelRun(runId: string): Promise<void>;
  /** Asks for a folder, then exports there in the runner's process; null when the user cancels. */
  exportProject(projectId: string, params: Record<string, string>): Promise<string | null>;
  onRunEvent(listener: (runId: string, event: RunEvent | { readonly type: 'done'; readonly result: RunResult }) => void): () => void;
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  setDocument(title: string, dirty: boolean): void;
}
