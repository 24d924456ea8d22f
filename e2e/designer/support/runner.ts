import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyCommands, loadSpec, saveSpec, type SpecCommand, type SpecInput } from '@batchbook/pipeline-core';
import type { RunReport } from '@batchbook/pipeline-core/node';

const CLI = fileURLToPath(new URL('../../../pipeline-core/bin/batchbook.js', import.meta.url));

/** A copy of a sample project, optionally edited with spec commands (written the way the app saves). */
export function copyProject(sampleDir: string, commands: readonly SpecCommand[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'bb-project-'));
  cpSync(join(sampleDir, 'data'), join(dir, 'data'), { recursive: true });
  const text = readFileSync(join(sampleDir, 'pipeline.yaml'), 'utf8');
  const input = loadSpec(text).input as SpecInput;
  writeFileSync(join(dir, 'pipeline.yaml'), commands.length ? saveSpec(text, applyCommands(input, commands)) : text);
  return dir;
}

/**
 * `batchbook run` on a project: the expected numbers of the journeys come from the real runner's
 * report on the same data, never from the UI itself.
 */
export function runBatchbook(projectDir: string, runDate: string, lake = mkdtempSync(join(tmpdir(), 'bb-lake-'))): RunReport {
  let out: string;
  try {
    out = execFileSync(process.execPath, [CLI, 'run', projectDir, '--lake', lake, '--json', '--param', `run_date=${runDate}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    // exit 3 (an error rule failed) still writes the report
    out = (e as { stdout?: string }).stdout ?? '';
    if (!out.trim().startsWith('{')) throw e;
  }
  return JSON.parse(out) as RunReport;
}
