import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_COMMANDS } from '@batchbook/pipeline-core';
import { menuTemplate, type MenuCommand } from './menu.js';

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('the application menu', () => {
  const sent: MenuCommand[] = [];
  const actions = { send: (c: MenuCommand) => sent.push(c), quit: vi.fn() };

  it('has File, Edit, View, Run and Help', () => {
    expect(menuTemplate(actions, 'linux').map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Run', '&Help']);
    expect(menuTemplate(actions, 'darwin')[0]).toEqual({ role: 'appMenu' });
  });

  it('sends each command to the window, with the shortcuts the app itself handles', () => {
    const items = flatten(menuTemplate(actions, 'linux'));
    const byLabel = (l: string) => items.find((i) => i.label === l)!;
    const expected: [string, MenuCommand, string | undefined][] = [
      ['Open Project Folder…', 'open', 'CmdOrCtrl+O'],
      ['Save', 'save', 'CmdOrCtrl+S'],
      ['Export Pipeline…', 'export', undefined],
      ['Undo', 'undo', 'CmdOrCtrl+Z'],
      ['Redo', 'redo', 'CmdOrCtrl+Shift+Z'],
      ['Add Cell…', 'addCell', 'Alt+A'],
      ['Command Palette…', 'commandPalette', 'CmdOrCtrl+K'],
      ['Run Cell', 'runCell', 'CmdOrCtrl+Enter'],
      ['Run All Cells', 'runAll', 'CmdOrCtrl+Shift+Enter'],
      ['Cancel Preview', 'cancelRun', 'CmdOrCtrl+.'],
      ['Run Pipeline (writes the lake)', 'runPipeline', undefined],
      ['Run History', 'toggleRuns', 'CmdOrCtrl+Shift+H'],
    ];
    for (const [label, command, accelerator] of expected) {
      const item = byLabel(label);
      expect(item.accelerator, label).toBe(accelerator);
      // shown, not registered: the renderer's own key handling runs the action exactly once
      if (accelerator) expect(item.registerAccelerator, label).toBe(false);
      sent.length = 0;
      (item.click as () => void)();
      expect(sent, label).toEqual([command]);
    }
  });

  it('offers every command of the shared contract somewhere', () => {
    sent.length = 0;
    for (const item of flatten(menuTemplate(actions, 'linux'))) if (item.click && item.label !== 'Quit') (item.click as () => void)();
    expect([...new Set(sent)].sort()).toEqual([...MENU_COMMANDS].sort());
  });

  it('shows developer tools only in development', () => {
    expect(flatten(menuTemplate(actions, 'linux')).some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(flatten(menuTemplate(actions, 'linux', true)).some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});
