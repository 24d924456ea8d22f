import type { ExportFile } from './exportFile.js';
import type { ExportFlag, ExportRefusal } from './refusal.js';

/** What one target's generator returns: files inside its folder, refusals, flags, README body. */
export interface TargetResult {
  readonly files: readonly ExportFile[];
  readonly refusals: readonly ExportRefusal[];
  readonly flags: readonly ExportFlag[];
  /** The target-specific part of the folder's README (markdown, below the common header). */
  readonly readme: string;
}
