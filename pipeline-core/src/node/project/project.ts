import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { loadSpec, parseSpecYaml, type LoadedSpec } from '../../core/spec/load.js';
import { readFileSchemas } from './fileSchemas.js';

export const SPEC_FILE = 'pipeline.yaml';

export interface Project {
  readonly dir: string;
  readonly specPath: string;
  readonly specText: string;
  readonly loaded: LoadedSpec;
  /** Where incoming raw files arrive before they are landed. */
  readonly inbox: string;
  /** The default lake (raw / curated / rejects / runs zones). */
  readonly defaultLake: string;
}

export class ProjectError extends Error {}

/** Opens a project given its folder or its pipeline.yaml. */
export async function openProject(path: string): Promise<Project> {
  const abs = resolve(path);
  let info;
  try {
    info = await stat(abs);
  } catch {
    throw new ProjectError(`no project at ${path}: the folder or file does not exist`);
  }
  const specPath = info.isDirectory() ? join(abs, SPEC_FILE) : abs;
  const dir = info.isDirectory() ? abs : dirname(abs);
  let specText: string;
  try {
    specText = await readFile(specPath, 'utf8');
  } catch {
    throw new ProjectError(`no ${basename(specPath)} in ${dir}`);
  }
  const inbox = join(dir, 'data');
  // Parquet sources may leave their schema out: their types are read from the newest matching file
  const parsed = parseSpecYaml(specText);
  const fileSchemas = await readFileSchemas(parsed.document, inbox, dir);
  return { dir, specPath, specText, loaded: loadSpec(specText, { fileSchemas, parsed, jitless: true }), inbox, defaultLake: join(dir, 'lake') };
}
