import { collectRunHistory, parseRunReport, rawFingerprintText, RUN_ID_PATTERN, RUN_INDEX_FILE, type RunHistory, type RunLakeReader, type RunReport } from '@batchbook/pipeline-core';

/**
 * The run history of a project folder opened in the browser: `lake/runs/` read through the File
 * System Access API, understood by pipeline-core's own history reader (the CLI and the desktop
 * app use the same one over Node's file system).
 */
async function dirAt(root: FileSystemDirectoryHandle, path: readonly string[]): Promise<FileSystemDirectoryHandle | undefined> {
  let d = root;
  try {
    for (const part of path) d = await d.getDirectoryHandle(part);
    return d;
  } catch {
    return undefined;
  }
}

async function textAt(dir: FileSystemDirectoryHandle | undefined, name: string): Promise<string | undefined> {
  if (!dir) return undefined;
  try {
    return await (await (await dir.getFileHandle(name)).getFile()).text();
  } catch {
    return undefined;
  }
}

async function names(dir: FileSystemDirectoryHandle | undefined): Promise<string[]> {
  const out: string[] = [];
  if (!dir) return out;
  for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) if (handle.kind === 'directory') out.push(name);
  return out;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function folderLakeReader(runs: FileSystemDirectoryHandle | undefined): RunLakeReader {
  return {
    async *indexLines() {
      yield* ((await textAt(runs, RUN_INDEX_FILE)) ?? '').split('\n');
    },
    runFolders: () => names(runs),
    readRunFile: async (runId, file) => textAt(await dirAt(runs!, [runId]), file),
    // a browser cannot see processes: a run without a report shows as incomplete
    isRunning: async () => false,
    rawFingerprint: (files) => sha256Hex(rawFingerprintText(files)),
  };
}

export async function folderRunHistory(project: FileSystemDirectoryHandle, pipeline?: string): Promise<RunHistory> {
  const runs = await dirAt(project, ['lake', 'runs']);
  const entries = runs ? await collectRunHistory(folderLakeReader(runs), pipeline ? { pipeline } : {}) : [];
  return { where: `${project.name}/lake/runs`, entries };
}

export async function folderRunReport(project: FileSystemDirectoryHandle, runId: string): Promise<RunReport | undefined> {
  if (!RUN_ID_PATTERN.test(runId)) return undefined;
  const text = await textAt(await dirAt(project, ['lake', 'runs', runId]), 'report.json');
  return text === undefined ? undefined : parseRunReport(text);
}
