// Test support for the operations tests (not used by the product): a webhook receiver on
// loopback and a CLI runner.
import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openProject } from '../project/project.js';
import type { RunReport } from '../runner/report.js';
import { runPipeline } from '../runner/run.js';
import type { RunOpsOptions } from './runOps.js';

export const CLI = fileURLToPath(new URL('../../../bin/batchbook.js', import.meta.url));

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface WebhookReceiver {
  readonly url: (path?: string) => string;
  readonly requests: ReceivedRequest[];
  /** The HTTP status the next requests get (default 200). */
  status: number;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records what is posted to it. */
export async function webhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const receiver = { status: 200 } as WebhookReceiver & { status: number };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(receiver.status, { 'content-type': 'text/plain' });
      res.end(receiver.status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(receiver, {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `batchbook <args>` in a child process, colours off. */
export function batchbook(args: readonly string[], env: Readonly<Record<string, string>> = {}, cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' }, ...(cwd ? { cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export const runDir = (lake: string, runId: string) => join(lake, 'runs', runId);

/** Runs a project in-process with the given operations options (alerts, log level). */
export async function runWithOps(dir: string, params: Record<string, string>, ops: RunOpsOptions, lake = join(dir, 'lake')): Promise<RunReport> {
  const project = await openProject(dir);
  if (!project.loaded.spec) throw new Error(`invalid spec in ${dir}`);
  return runPipeline({ spec: project.loaded.spec, specText: project.specText, projectDir: project.dir, inbox: project.inbox, lake, params, threads: 1, memoryLimit: '512MB', ops });
}
