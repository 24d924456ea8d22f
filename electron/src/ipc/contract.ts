import { z } from 'zod';
import { RUN_ID_PATTERN, type DesktopApi } from '@batchbook/pipeline-core';

/**
 * The IPC contract between the preload's named functions and the main process: one channel per
 * function (no generic pass-through), the schema of each function's arguments (main validates
 * every call against it), and the events main sends back. The preload (a sandboxed CommonJS
 * file that cannot import this module) spells the same channel names; a test keeps them equal.
 */
export const CHANNELS = {
  openFolder: 'bb:open-folder',
  recentProjects: 'bb:recent-projects',
  openRecent: 'bb:open-recent',
  readProjectFiles: 'bb:read-project-files',
  saveSpec: 'bb:save-spec',
  saveProjectAs: 'bb:save-project-as',
  writeRecovery: 'bb:write-recovery',
  readRecovery: 'bb:read-recovery',
  clearRecovery: 'bb:clear-recovery',
  runPipeline: 'bb:run-pipeline',
  cancelRun: 'bb:cancel-run',
  exportProject: 'bb:export-project',
  runHistory: 'bb:run-history',
  runReport: 'bb:run-report',
  setDocument: 'bb:set-document',
} as const;

export type Channel = keyof typeof CHANNELS;

export const EVENTS = {
  runEvent: 'bb:run-event',
  menuCommand: 'bb:menu-command',
} as const;

const projectId = z.string().regex(/^(folder|sample|new):[A-Za-z0-9_.-]{1,200}$/, 'not a project id');
/** A path inside a project's data folder: relative, '/'-separated, never leaving it. */
export const relativePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.includes('\\') && !p.split('/').some((s) => s === '..' || s === '' || s === '.'), 'not a path inside the project');
const text = z.string().max(20 * 1024 * 1024);
const file = z.strictObject({ path: relativePath, bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'not bytes') });
const params = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(200));

export const ARGS = {
  openFolder: z.tuple([]),
  recentProjects: z.tuple([]),
  openRecent: z.tuple([projectId]),
  readProjectFiles: z.tuple([projectId, z.array(relativePath).max(10_000)]),
  saveSpec: z.tuple([projectId, text]),
  saveProjectAs: z.tuple([z.string().max(200), text, z.array(file).max(10_000)]),
  writeRecovery: z.tuple([projectId, text]),
  readRecovery: z.tuple([projectId]),
  clearRecovery: z.tuple([projectId]),
  runPipeline: z.tuple([projectId, params]),
  cancelRun: z.tuple([z.string().regex(/^run-[a-z0-9]+$/)]),
  exportProject: z.tuple([projectId, params]),
  runHistory: z.tuple([projectId, z.string().min(1).max(200).nullable()]),
  runReport: z.tuple([projectId, z.string().regex(RUN_ID_PATTERN, 'not a run id')]),
  setDocument: z.tuple([z.string().max(300), z.boolean()]),
} as const satisfies Record<Channel, z.ZodType>;

export type ArgsOf<C extends Channel> = z.infer<(typeof ARGS)[C]>;

/** Compile-time: what the shared DesktopApi passes to each function fits the schema main checks it with. */
type FitsApi = { [C in Channel]: Parameters<DesktopApi[C]> extends z.input<(typeof ARGS)[C]> ? true : false };
export const ARGS_FIT_API: FitsApi extends { [C in Channel]: true } ? true : never = true;
