import type { ExportContributor, ExportFile, ExportContext } from './exportFile.js';
import type { ExportTarget } from './targets.js';

/**
 * Features outside the engine compilers (the cost report, monitoring configs…) add files to
 * export folders through this registry. A contributor registers once, at module load, with an
 * id (used in error messages and to keep registration idempotent) and the targets it serves:
 * 'all' means the `--target all` export only (files land at the top of the export folder),
 * a list of targets means those targets too (files land inside `<target>/`).
 */
export interface ContributorRegistration {
  readonly id: string;
  readonly contribute: ExportContributor;
  /** Default ['all']. */
  readonly targets?: readonly (ExportTarget | 'all')[];
}

const registry = new Map<string, ContributorRegistration>();

/** Registers (or replaces, by id) a contributor. Call it from your feature's own module. */
export function registerExportContributor(registration: ContributorRegistration): void {
  registry.set(registration.id, registration);
}

export function unregisterExportContributor(id: string): void {
  registry.delete(id);
}

export function exportContributors(): readonly ContributorRegistration[] {
  return [...registry.values()];
}

/** The files every contributor serving `scope` adds; a contributor that throws is named in the error. */
export function contributedFiles(ctx: ExportContext, scope: ExportTarget | 'all'): ExportFile[] {
  const files: ExportFile[] = [];
  for (const c of registry.values()) {
    if (!(c.targets ?? ['all']).includes(scope)) continue;
    try {
      files.push(...c.contribute(ctx));
    } catch (e) {
      throw new Error(`export contributor '${c.id}' failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  return files;
}
