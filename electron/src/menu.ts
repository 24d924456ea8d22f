import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '@batchbook/pipeline-core';

export type { MenuCommand };

export interface MenuActions {
  send(command: MenuCommand): void;
  quit(): void;
}

/**
 * File / Edit / View / Run / Help. The renderer handles its own shortcuts (so they work in the
 * web app too); the menu shows the same accelerators without registering them, so a key press
 * never runs an action twice.
 */
export function menuTemplate(actions: MenuActions, platform: NodeJS.Platform, dev = false): MenuItemConstructorOptions[] {
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
    click: () => actions.send(command),
  });
  const mac = platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('Open Project Folder…', 'open', 'CmdOrCtrl+O'),
        item('Save', 'save', 'CmdOrCtrl+S'),
        { type: 'separator' },
        item('Export Pipeline…', 'export'),
        { type: 'separator' },
        item('Close Project', 'home'),
        ...(mac ? [] : [{ type: 'separator' as const }, { label: 'Quit', accelerator: 'Ctrl+Q', click: () => actions.quit() }]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item('Undo', 'undo', 'CmdOrCtrl+Z'),
        item('Redo', 'redo', 'CmdOrCtrl+Shift+Z'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        item('Add Cell…', 'addCell', 'Alt+A'),
      ],
    },
    {
      label: '&View',
      submenu: [
        item('Command Palette…', 'commandPalette', 'CmdOrCtrl+K'),
        item('Pipeline Graph', 'toggleDag', 'CmdOrCtrl+B'),
        item('Run History', 'toggleRuns', 'CmdOrCtrl+Shift+H'),
        item('Light / Dark Theme', 'toggleTheme'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(dev ? [{ type: 'separator' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    {
      label: '&Run',
      submenu: [
        item('Run Cell', 'runCell', 'CmdOrCtrl+Enter'),
        item('Run All Cells', 'runAll', 'CmdOrCtrl+Shift+Enter'),
        item('Cancel Preview', 'cancelRun', 'CmdOrCtrl+.'),
        { type: 'separator' },
        item('Run Pipeline (writes the lake)', 'runPipeline'),
      ],
    },
    { label: '&Help', submenu: [item('About Batchbook', 'about')] },
  ];
}
