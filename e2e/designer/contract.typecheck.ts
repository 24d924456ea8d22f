// The renderer's view of the desktop API (renderer/src/host/desktopApi.ts) and what Electron's
// preload really exposes (electron/src/preload.cts) must stay the same set of functions with
// compatible arguments. Neither package may import the other, so the check lives here; it is
// compiled by `npm run lint -w @batchbook/e2e` and fails to compile when they drift.
import type { DesktopApi } from '../../renderer/src/host/desktopApi';
import type { PreloadApi } from '../../electron/src/preload.cjs';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;

export type SameFunctions = Expect<Same<keyof DesktopApi, keyof PreloadApi>>;
export const preloadFitsRenderer = (api: PreloadApi): DesktopApi => api;

// The menu's commands and the runner's progress cross the same boundary: main's types
// (electron/src/menu.ts, electron/src/runner/jobs.ts) and the renderer's (renderer/src/host/host.ts) must agree.
import type { MenuCommand as RendererMenuCommand, RunEvent, RunResult } from '../../renderer/src/host/host';
import type { MenuCommand as MainMenuCommand } from '../../electron/src/menu';
import type { RunOutcome, RunProgress } from '../../electron/src/runner/jobs';

export type SameMenuCommands = Expect<Same<RendererMenuCommand, MainMenuCommand>>;
export type SameProgress = Expect<Same<RunEvent, RunProgress>>;
export type SameOutcome = Expect<Same<RunResult, RunOutcome>>;
