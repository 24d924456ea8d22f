import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { appForTests, SAMPLES, type App } from '../support/app';
import { DesignerPage } from '../pages/designerPage';

/**
 * The web build exports without a runner or a folder: Export (Ctrl+Shift+E, or the palette) opens
 * a dialog of targets and downloads one zip. Its files must be `batchbook export`'s for the same
 * sample, byte for byte, except where the CLI did something the browser cannot: it ran the
 * pipeline on the samples and recorded the rule outcomes under `preview` in each provenance.json
 * (the web build writes null there, as `batchbook export --no-preview` does).
 */
const CLI = fileURLToPath(new URL('../../../pipeline-core/bin/batchbook.js', import.meta.url));
const SAMPLE = join(SAMPLES, 'nightly-reconciliation');
let out: string;
let app: App;
let ui: DesignerPage;
const session = appForTests({}, () => rmSync(out, { recursive: true, force: true }));

function cliExport(noPreview: boolean): Map<string, Buffer> {
  const dir = join(out, noPreview ? 'cli-no-preview' : 'cli');
  execFileSync(process.execPath, [CLI, 'export', SAMPLE, '--target', 'all', '--out', dir, '--param', 'run_date=2026-11-24', ...(noPreview ? ['--no-preview'] : [])], { stdio: 'pipe' });
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const abs = join(d, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else files.set(relative(dir, abs).split('\\').join('/'), readFileSync(abs));
    }
  };
  walk(dir);
  return files;
}

async function downloadZip(): Promise<Map<string, Buffer>> {
  const download = app.page.waitForEvent('download');
  await ui.id('export-download').click();
  const file = await (await download).path();
  return new Map(Object.entries(unzipSync(new Uint8Array(readFileSync(file)))).map(([k, v]) => [k, Buffer.from(v)]));
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'bb-web-export-'));
  app = session.app;
  ui = new DesignerPage(app.page);
  await ui.openSample('nightly-reconciliation');
  await ui.waitIdle();
});

describe('export in the web build', () => {
  it('does not offer a pipeline run it cannot do', async () => {
    expect(await ui.id('run-pipeline').count()).toBe(0);
    await app.page.keyboard.press('Control+k');
    await ui.id('palette-input').fill('run the pipeline');
    expect(await ui.id('palette-runPipeline').count()).toBe(0);
    await app.page.keyboard.press('Escape');
  });

  it('downloads every target as one zip with the same files and bytes as batchbook export', async () => {
    await app.page.keyboard.press('Control+k');
    await ui.id('palette-input').fill('export');
    await app.page.keyboard.press('Enter');
    await ui.id('export-dialog').waitFor();
    const zip = await downloadZip();
    const cli = cliExport(false);
    expect([...zip.keys()].sort()).toEqual([...cli.keys()].sort());
    const differing = [...cli.keys()].filter((k) => !cli.get(k)!.equals(zip.get(k)!));
    // only the provenance files differ, and only in `preview`
    expect(differing.length).toBeGreaterThan(0);
    expect(differing.filter((k) => !k.endsWith('provenance.json'))).toEqual([]);
    for (const k of differing.filter((d) => d.endsWith("provenance.json"))) {
      const { preview: cliPreview, ...cliRest } = JSON.parse(cli.get(k)!.toString('utf8')) as { preview: unknown };
      const { preview: webPreview, ...webRest } = JSON.parse(zip.get(k)!.toString('utf8')) as { preview: unknown };
      expect(webRest).toEqual(cliRest);
      expect(webPreview).toBeNull();
      expect(cliPreview).not.toBeNull();
    }
    // and with the CLI's run left out, every byte is the same
    const noPreview = cliExport(true);
    expect([...noPreview.keys()].filter((k) => !noPreview.get(k)!.equals(zip.get(k) ?? Buffer.alloc(0)))).toEqual([]);
    expect(zip.has('cost/report.html') && zip.has('duckdb/run.sh') && zip.has('spark/job.py')).toBe(true);
  }, 300_000);

  it('zips only the chosen targets (and the cost report when asked)', async () => {
    await app.page.keyboard.press('Control+Shift+E');
    await ui.id('export-dialog').waitFor();
    for (const t of ['duckdb', 'beam', 'airflow']) await ui.id(`export-target-${t}`).uncheck();
    await ui.id('export-cost').uncheck();
    const zip = await downloadZip();
    expect(new Set([...zip.keys()].map((k) => k.split('/')[0]))).toEqual(new Set(['spark', 'dbt']));
  }, 120_000);

  it('threw nothing and asked nothing of the network', () => {
    expect(app.offsite).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
