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
