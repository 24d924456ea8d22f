import type { RunIndexEntry } from '../ops/runHistory.js';
import type { RunReport } from '../ops/runReport.js';
import type { MenuCommand } from './menuCommands.js';

/**
 * The contract between the designer (renderer) and the machine it runs on, shared by the
 * Electron shell and the renderer — neither may import the other, both import this. Plain,
 * serialisable data only: no Electron and no DOM types. `DesktopApi` is what Electron's preload
 * puts on `window.batchbook`: one named function per thing the page may ask of the main
 * process (no generic channel); main validates every argument and the sender.
 */
export interface ProjectRef {
  /** Stable key (recent projects, recovery copies): 'sample:<id>', 'folder:<id>' or 'new:<id>'. */
  readonly id: string;
  /** What the user calls it: the folder's or sample's name. */
  readonly name: string;
  readonly kind: 'sample' | 'folder' | 'new';
}

export interface OpenedProject {
  readonly ref: ProjectRef;
  /** pipeline.yaml as on disk ('' for a project not saved yet). */
  readonly specText: string;
  /** The files in the project's inbox (its data/ folder), '/'-separated, relative to it. */
  readonly files: readonly string[];
}

export interface RecentProject {
  readonly ref: ProjectRef;
  readonly openedAt: string;
}

export interface RecoveryCopy {
  readonly text: string;
  readonly savedAt: string;
}

export type SaveOutcome = { readonly saved: true; readonly ref: ProjectRef; readonly where: string } | { readonly saved: false };

/** A file of a project's data/ folder. */
export interface DataFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Progress of a full pipeline run (the runner in a utility process). */
export type RunEvent =
  | {
      readonly type: 'stage';
      readonly stage: string;
      readonly index: number;
      readonly total: number;
      readonly state: 'start' | 'end';
      /** At the end: rows out, rejected, and how long the stage took. */
      readonly rows?: number;
      readonly rejected?: number;
      readonly ms?: number;
    }
  | { readonly type: 'log'; readonly message: string };

export interface RunResult {
  readonly exitCode: number;
  readonly status: string;
  /** The lake's run id (its runs/<run_id>/ folder), when the run got as far as a report. */
  readonly runId?: string;
  readonly reportPath?: string;
  readonly message?: string;
}

/** What main sends about a run or export it started: progress, then one `done`. */
export type RunUpdate = RunEvent | { readonly type: 'done'; readonly result: RunResult };

/** A project's run history: `<lake>/runs/`, oldest first. */
export interface RunHistory {
  /** Where the runs were read from, for the user (a path or the folder's name). */
  readonly where: string;
  readonly entries: readonly RunIndexEntry[];
}

export interface DesktopApi {
  openFolder(): Promise<OpenedProject | null>;
  recentProjects(): Promise<RecentProject[]>;
  openRecent(id: string): Promise<OpenedProject | null>;
  readProjectFiles(projectId: string, paths: string[]): Promise<DataFile[]>;
  saveSpec(projectId: string, text: string): Promise<SaveOutcome>;
  /** Asks for a folder and writes pipeline.yaml plus the given data files into it. */
  saveProjectAs(name: string, text: string, files: DataFile[]): Promise<SaveOutcome>;
  writeRecovery(projectId: string, text: string): Promise<void>;
  readRecovery(projectId: string): Promise<RecoveryCopy | null>;
  clearRecovery(projectId: string): Promise<void>;
  runPipeline(projectId: string, params: Record<string, string>): Promise<string>;
  cancelRun(runId: string): Promise<void>;
  /** Asks for a folder, then exports there in the runner's process; null when the user cancels. */
  exportProject(projectId: string, params: Record<string, string>): Promise<string | null>;
  /** The runs in the project's lake, of one pipeline (by name) or all. */
  runHistory(projectId: string, pipeline: string | null): Promise<RunHistory>;
  /** One run's report.json; null when the run has none (killed, still running, gone). */
  runReport(projectId: string, runId: string): Promise<RunReport | null>;
  onRunEvent(listener: (runId: string, event: RunUpdate) => void): () => void;
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  setDocument(title: string, dirty: boolean): void;
}
