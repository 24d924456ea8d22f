/** Messages between the main process and the runner's utility process. */
export type RunnerJob =
  | { readonly kind: 'run'; readonly projectDir: string; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'export'; readonly projectDir: string; readonly out: string; readonly params: Readonly<Record<string, string>> };

/** What the renderer sees of a run (the desktop host's RunEvent). */
export type RunProgress =
  | { readonly type: 'stage'; readonly stage: string; readonly index: number; readonly total: number; readonly state: 'start' | 'end'; readonly rows?: number }
  | { readonly type: 'log'; readonly message: string };

export interface RunOutcome {
  readonly exitCode: number;
  readonly status: string;
  readonly reportPath?: string;
  readonly message?: string;
}

export type RunnerMessage = { readonly type: 'progress'; readonly progress: RunProgress } | { readonly type: 'done'; readonly outcome: RunOutcome };
