/**
 * The commands the desktop app's native menu sends to the designer. The Electron main process
 * builds its menu from them and the renderer maps each to one of its actions; both import this
 * list, so a command cannot exist on one side only.
 */
export const MENU_COMMANDS = [
  'open',
  'save',
  'undo',
  'redo',
  'addCell',
  'runCell',
  'runAll',
  'cancelRun',
  'runPipeline',
  'export',
  'commandPalette',
  'toggleTheme',
  'toggleDag',
  'toggleRuns',
  'home',
  'about',
] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}
