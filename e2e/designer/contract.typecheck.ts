// What Electron's preload really exposes (electron/src/preload.cts) must be the desktop API the
// renderer is written against (DesktopApi, pipeline-core's host contract: one copy, imported by
// both sides). The preload already declares `satisfies DesktopApi`; this also checks it exposes
// nothing more and nothing less, so a function cannot be added on one side only. Compiled by
// `npm run lint -w @batchbook/e2e`; it fails to compile when they drift.
import type { DesktopApi } from '@batchbook/pipeline-core';
import type { PreloadApi } from '../../electron/src/preload.cjs';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;

export type SameFunctions = Expect<Same<keyof DesktopApi, keyof PreloadApi>>;
export const preloadFitsRenderer = (api: PreloadApi): DesktopApi => api;
