import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu as plain data (Menu.buildFromTemplate takes it as it is). No runtime import of
 * electron: tests call it under Node, and the offline package check evaluates the built copy
 * (out/main/menu.js) from the packaged app.asar.
 *
 * Packaged builds have no Reload, Force Reload or Toggle Developer Tools (nor their shortcuts): a
 * reload drops what a person was typing and a debugger is a way around the core's rules. Development
 * keeps them. Edit (copy and paste, which text fields need), Window and Help (with the version) stay.
 */

export interface MenuOptions {
  appName: string;
  version: string;
  isPackaged: boolean;
  platform: NodeJS.Platform;
  /** Help → Open Log Folder (the desktop app's rotating log files). */
  openLogFolder?: () => void;
}

export type MenuTemplate = MenuItemConstructorOptions[];

/** Roles only a developer should have: reloading the page and opening the developer tools. */
export const DEVELOPMENT_ONLY_ROLES: readonly string[] = ['reload', 'forceReload', 'toggleDevTools'];

const separator: MenuItemConstructorOptions = { type: 'separator' };

export function buildMenuTemplate({ appName, version, isPackaged, platform, openLogFolder }: MenuOptions): MenuTemplate {
  const mac = platform === 'darwin';
  const about: MenuItemConstructorOptions = { role: 'about', label: `About ${appName}` };

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [{ label: appName, submenu: [about, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }] }]
    : [];
  const file: MenuItemConstructorOptions = { label: 'File', submenu: mac ? [{ role: 'close' }] : [{ role: 'quit', label: 'Exit' }] };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(isPackaged ? [] : [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, separator]),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  const window: MenuItemConstructorOptions = {
    label: 'Window',
    role: 'window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: MenuItemConstructorOptions = {
    label: 'Help',
    role: 'help',
    submenu: [
      { label: `${appName} ${version}`, enabled: false },
      ...(openLogFolder ? [{ label: 'Open Log Folder', click: () => openLogFolder() }] : []),
      ...(mac ? [] : [about]),
    ],
  };
  return [...appMenu, file, edit, view, window, help];
}

/** Every item of a template, submenus included, depth first. */
export function menuItems(template: MenuTemplate): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? menuItems(item.submenu) : [])]);
}
