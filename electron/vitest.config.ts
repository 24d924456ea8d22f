import { defineConfig } from 'vitest/config';

// The main process's logic, tested in Node with the `electron` module mocked (the Electron
// binary cannot be downloaded here): IPC validation, the scheme and CSP, menus, the runner manager.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
