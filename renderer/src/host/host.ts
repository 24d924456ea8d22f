/**
 * Everything the designer asks of the machine it runs on: one contract, two adapters chosen at
 * start-up (createHost.ts) — the Electron window API (host.electron.ts) and the browser
 * (host.web.ts). UI code only ever sees this interface, so platform differences never leak into
 * it as `if (electron)` checks; what an adapter cannot do shows up in `can`.
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

export interface SampleInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly files: number;
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

export interface DataFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Progress of a full pipeline run (desktop: the CLI runner in a utility process). */
export type RunEvent =
  | { readonly type: 'stage'; readonly stage: string; readonly index: number; readonly total: number; readonly state: 'start' | 'end'; readonly rows?: number }
  | { readonly type: 'log'; readonly message: string };

export interface RunResult {
  readonly exitCode: number;
  readonly status: string;
  readonly reportPath?: string;
  readonly message?: string;
}

export interface RunHandle {
  readonly done: Promise<RunResult>;
  cancel(): void;
}

/** Commands a native menu sends (the web app has the same actions in its own UI). */
export type MenuCommand =
  | 'open'
  | 'save'
  | 'undo'
  | 'redo'
  | 'addCell'
  | 'runCell'
  | 'runAll'
  | 'cancelRun'
  | 'runPipeline'
  | 'export'
  | 'commandPalette'
  | 'toggleTheme'
  | 'toggleDag'
  | 'home'
  | 'about';

export interface Host {
  readonly kind: 'web' | 'desktop';
  readonly can: {
    /** Run the whole pipeline with the real runner (writes the lake), and export it to a folder. */
    readonly runPipeline: boolean;
  };
  listSamples(): Promise<readonly SampleInfo[]>;
  openSample(id: string): Promise<OpenedProject>;
  /** Asks the user for a project folder; undefined when they cancel. */
  openFolder(): Promise<OpenedProject | undefined>;
  recentProjects(): Promise<readonly RecentProject[]>;
  openRecent(id: string): Promise<OpenedProject | undefined>;
  /** A project not on disk yet, made from files the user dropped; saving asks where to put it. */
  createProject(name: string, files: readonly DataFile[]): Promise<OpenedProject>;
  readFiles(ref: ProjectRef, paths: readonly string[]): Promise<ReadonlyMap<string, Uint8Array>>;
  /** Writes pipeline.yaml (and, for a sample or new project, asks for a folder and copies its data there). */
  saveSpec(ref: ProjectRef, text: string): Promise<SaveOutcome>;
  readonly recovery: {
    write(projectId: string, text: string): Promise<void>;
    read(projectId: string): Promise<RecoveryCopy | undefined>;
    clear(projectId: string): Promise<void>;
  };
  /** Only when can.runPipeline. */
  runPipeline(ref: ProjectRef, params: Readonly<Record<string, string>>, onEvent: (e: RunEvent) => void): RunHandle;
  /** Only when can.runPipeline: asks for a folder and writes every export target there; undefined when the user cancels. */
  exportProject(ref: ProjectRef, params: Readonly<Record<string, string>>): Promise<RunResult | undefined>;
  onCommand(listener: (command: MenuCommand) => void): () => void;
  /** The window title and unsaved-changes marker (desktop shows them natively). */
  setDocument(title: string, dirty: boolean): void;
}

export class HostError extends Error {}
