/**
 * Everything the designer asks of the machine it runs on: one contract, two adapters chosen at
 * start-up (createHost.ts) — the Electron window API (host.electron.ts) and the browser
 * (host.web.ts). UI code only ever sees this interface, so platform differences never leak into
 * it as `if (electron)` checks; what an adapter cannot do shows up in `can`. The data that crosses
 * to Electron (projects, runs, menu commands) is pipeline-core's host contract, shared with the
 * desktop shell.
 */
import type { DataFile, MenuCommand, OpenedProject, ProjectRef, RecentProject, RecoveryCopy, RunEvent, RunHistory, RunReport, RunResult, SaveOutcome } from '@batchbook/pipeline-core';

export type { DataFile, MenuCommand, OpenedProject, ProjectRef, RecentProject, RecoveryCopy, RunEvent, RunHistory, RunResult, SaveOutcome } from '@batchbook/pipeline-core';

export interface SampleInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly files: number;
  /** The sample's data is generated, not shipped, and has not been generated yet: how to do it. */
  readonly generate?: string;
}

export interface RunHandle {
  readonly done: Promise<RunResult>;
  cancel(): void;
}

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
  /** The runs in the project's lake (of the named pipeline); undefined for a project with no folder (a sample, a new one). */
  runHistory(ref: ProjectRef, pipeline?: string): Promise<RunHistory | undefined>;
  /** One run's report; undefined when it has none (killed, still running). */
  runReport(ref: ProjectRef, runId: string): Promise<RunReport | undefined>;
  onCommand(listener: (command: MenuCommand) => void): () => void;
  /** The window title and unsaved-changes marker (desktop shows them natively). */
  setDocument(title: string, dirty: boolean): void;
}

export class HostError extends Error {}
