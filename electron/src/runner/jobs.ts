import type { RunEvent, RunResult } from '@batchbook/pipeline-core';
import type { AlertsPermission } from '../trust/alertsTrust.js';

/** Messages between the main process and the runner's utility process. */
export type RunnerJob =
  | { readonly kind: 'run'; readonly projectDir: string; readonly params: Readonly<Record<string, string>>; readonly alerts: AlertsPermission }
  | { readonly kind: 'export'; readonly projectDir: string; readonly out: string; readonly params: Readonly<Record<string, string>> };

export type RunnerMessage = { readonly type: 'progress'; readonly progress: RunEvent } | { readonly type: 'done'; readonly outcome: RunResult };
