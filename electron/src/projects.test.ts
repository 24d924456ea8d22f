import { existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectIdFor, Projects } from './projects.js';

/** A project folder, and a folder outside it holding a secret, with links from one to the other. */
function setup() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'bb-links-')));
  const project = join(base, 'project');
  const outside = join(base, 'outside');
  mkdirSync(join(project, 'data', 'pos'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(project, 'pipeline.yaml'), 'version: 1\n');
  writeFileSync(join(project, 'data', 'pos', 'orders.csv'), 'id\n1\n');
  writeFileSync(join(outside, 'secret.txt'), 'do not read');
  const projects = new Projects(mkdtempSync(join(tmpdir(), 'bb-userdata-')));
  return { base, project, outside, projects };
}

describe('the project folder guard resolves symbolic links', () => {
  it('refuses a file link in data/ that points outside the project', async () => {
    const t = setup();
    symlinkSync(join(t.outside, 'secret.txt'), join(t.project, 'data', 'pos', 'innocent.csv'));
    const { ref } = await t.projects.openDir(t.project);
    await expect(t.projects.readFiles(ref.id, ['pos/innocent.csv'])).rejects.toThrow(`'pos/innocent.csv' is a link to ${join(t.outside, 'secret.txt')}, outside the project's data folder`);
  });

  it('refuses a folder link in data/ that points outside, and what lies beneath it', async () => {
    const t = setup();
    symlinkSync(t.outside, join(t.project, 'data', 'more'));
    const { ref } = await t.projects.openDir(t.project);
    await expect(t.projects.readFiles(ref.id, ['more/secret.txt'])).rejects.toThrow(/is a link to .*outside.*secret\.txt, outside the project's data folder/);
  });

  it('refuses a data/ folder that is itself a link out of the project', async () => {
    const t = setup();
    const project = join(t.base, 'linked-data');
    mkdirSync(project);
    writeFileSync(join(project, 'pipeline.yaml'), 'version: 1\n');
    symlinkSync(t.outside, join(project, 'data'));
    const { ref } = await t.projects.openDir(project);
    await expect(t.projects.readFiles(ref.id, ['secret.txt'])).rejects.toThrow(`the project's data folder is a link to ${t.outside}, outside the project`);
  });

  it('still reads files, and links that stay inside data/', async () => {
    const t = setup();
    symlinkSync(join(t.project, 'data', 'pos', 'orders.csv'), join(t.project, 'data', 'latest.csv'));
    const { ref } = await t.projects.openDir(t.project);
    const files = await t.projects.readFiles(ref.id, ['pos/orders.csv', 'latest.csv']);
    expect(files.map((f) => new TextDecoder().decode(f.bytes))).toEqual(['id\n1\n', 'id\n1\n']);
  });

  it('knows a project opened through a link by its real folder', async () => {
    const t = setup();
    const alias = join(t.base, 'alias');
    symlinkSync(t.project, alias);
    const { ref } = await t.projects.openDir(alias);
    expect(ref.id).toBe(projectIdFor(t.project));
    expect(t.projects.dirOf(ref.id)).toBe(t.project);
  });

  it('writes nothing through a data/ link out of a folder chosen for Save As', async () => {
    const t = setup();
    const target = join(t.base, 'save-here');
    mkdirSync(target);
    symlinkSync(t.outside, join(target, 'data'));
    await expect(t.projects.saveAs(target, 'version: 1\n', [{ path: 'planted.csv', bytes: new Uint8Array([1]) }])).rejects.toThrow(/outside the project/);
    expect(existsSync(join(t.outside, 'planted.csv'))).toBe(false);
  });
});
