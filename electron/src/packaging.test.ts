import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKAGED_RENDERER_DIR } from './security.js';

/**
 * electron-builder.yml, read the way electron-builder reads it (its own loader and schema), and
 * its fuses flipped by the same code path a real package takes (electron-builder's fuse config
 * handed to @electron/fuses) — on a stand-in binary, since the real one cannot be downloaded here.
 */
const electronDir = fileURLToPath(new URL('..', import.meta.url));
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const libRequire = createRequire(builderRequire.resolve('app-builder-lib'));
const { getConfig, validateConfiguration } = libRequire('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Record<string, unknown> & { electronFuses?: Record<string, boolean>; files?: unknown[] }>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { PlatformPackager } = libRequire('app-builder-lib') as { PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<string, unknown>> } } };
const { DebugLogger } = libRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const fuses = libRequire('@electron/fuses') as {
  flipFuses(path: string, config: Record<string, unknown>): Promise<number>;
  getCurrentFuseWire(path: string): Promise<Record<number, number>>;
  FuseV1Options: Record<string, number>;
};

const load = () => getConfig(electronDir, join(electronDir, 'electron-builder.yml'), null);

/** A binary with Electron's fuse wire as shipped (upstream docs/tutorial/fuses.md defaults), between filler bytes. */
function stockElectronBinary(): string {
  // RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar, V8Snapshot, FileProtocolPrivileges
  const shipped = '10110001';
  const file = join(mkdtempSync(join(tmpdir(), 'bb-fuses-')), 'batchbook');
  writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, shipped.length]), Buffer.from(shipped), Buffer.alloc(4096, 0x90)]));
  return file;
}

describe('electron-builder.yml', () => {
  it('is a valid electron-builder configuration', async () => {
    const config = await load();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // and the check is real: a misspelt fuse is refused
    await expect(validateConfiguration({ ...config, electronFuses: { runAsnode: false } }, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  }, 30_000); // compiling electron-builder's schema takes a few seconds

  it('sets the fuses: no run-as-node, no NODE_OPTIONS, no inspector flags, only the integrity-checked archive', async () => {
    const config = await load();
    const fuseConfig = await PlatformPackager.prototype.generateFuseConfig.call(undefined, config.electronFuses);
    const binary = stockElectronBinary();
    await fuses.flipFuses(binary, fuseConfig);
    const wire = await fuses.getCurrentFuseWire(binary);
    const OFF = '0'.charCodeAt(0);
    const ON = '1'.charCodeAt(0);
    const O = fuses.FuseV1Options;
    expect(wire[O['RunAsNode']!]).toBe(OFF);
    expect(wire[O['EnableNodeOptionsEnvironmentVariable']!]).toBe(OFF);
    expect(wire[O['EnableNodeCliInspectArguments']!]).toBe(OFF);
    expect(wire[O['OnlyLoadAppFromAsar']!]).toBe(ON);
    expect(wire[O['EnableEmbeddedAsarIntegrityValidation']!]).toBe(ON);
    expect(wire[O['GrantFileProtocolExtraPrivileges']!]).toBe(OFF);
    expect(config['asar']).toBe(true); // OnlyLoadAppFromAsar with no archive would start nothing
  });

  it('packs what main loads: dist/ (main, preload, runner) and the renderer where rendererRoot looks for it', async () => {
    const config = await load();
    const pkg = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('dist/main.js');
    const files = config.files as { from?: string; to?: string; filter?: string[] }[];
    expect(files.flatMap((f) => (f.from === undefined ? (f.filter ?? []) : []))).toContain('dist/**/*');
    expect(files.find((f) => f.from === '../renderer/dist/web')?.to).toBe(PACKAGED_RENDERER_DIR);
    expect((config['directories'] as { output: string }).output).not.toBe('dist');
    expect(pkg.scripts['dist']).toMatch(/electron-builder .*--config electron-builder\.yml/);
  });
});
