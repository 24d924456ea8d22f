#!/usr/bin/env node
// `npm start`: launches the desktop app. npm keeps Electron's install script from running (see
// allowScripts in the root package.json), so the Electron binary is fetched here, on first launch,
// by Electron's own installer. Offline machines cannot launch the desktop app; `npm run web`
// serves the same designer in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
if (!existsSync(join(electronDir, 'path.txt'))) {
  process.stderr.write('Downloading the Electron binary (first launch only)…\n');
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (install.status !== 0) {
    process.stderr.write('Could not download Electron. Without internet access, use `npm run web` for the designer in a browser.\n');
    process.exit(1);
  }
}
const electron = require('electron');
const child = spawn(electron, [dirname(fileURLToPath(import.meta.url))], { stdio: 'inherit' });
child.on('close', (code) => process.exit(code ?? 1));
