import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, DEVELOPMENT_ONLY_ROLES, menuItems } from '../../src/main/menu';

const platforms = ['linux', 'win32', 'darwin'] as const;
const build = (isPackaged: boolean, platform: NodeJS.Platform) => buildMenuTemplate({ appName: 'Aviation Workflow', version: '1.2.3', isPackaged, platform });
const roles = (items: MenuItemConstructorOptions[]) => menuItems(items).map((i) => i.role).filter(Boolean);
const topLabels = (items: MenuItemConstructorOptions[]) => items.map((i) => i.label);
const submenuOf = (items: MenuItemConstructorOptions[], label: string) => {
  const menu = items.find((i) => i.label === label);
  expect(menu, label).toBeTruthy();
  return menu!.submenu as MenuItemConstructorOptions[];
};

describe.each(platforms)('the application menu on %s', (platform) => {
  it('packaged: no Reload, Force Reload or Toggle Developer Tools, and no shortcut for them', () => {
    const template = build(true, platform);
    for (const role of DEVELOPMENT_ONLY_ROLES) expect(roles(template)).not.toContain(role);
    const accelerators = menuItems(template).map((i) => String(i.accelerator ?? '').toLowerCase());
    for (const key of ['cmdorctrl+r', 'f5', 'cmdorctrl+shift+r', 'cmdorctrl+shift+i', 'f12', 'alt+cmd+i']) expect(accelerators).not.toContain(key);
    for (const item of menuItems(template)) expect(String(item.label ?? '')).not.toMatch(/reload|developer|devtools|inspect/i);
  });

  it('development: keeps Reload, Force Reload and Toggle Developer Tools', () => {
    expect(roles(build(false, platform))).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });

  it.each([true, false])('has Edit with copy and paste, Window, and Help with the version (packaged %s)', (isPackaged) => {
    const template = build(isPackaged, platform);
    expect(topLabels(template)).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Window', 'Help']));
    expect(roles(submenuOf(template, 'Edit'))).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
    expect(roles(submenuOf(template, 'Window'))).toContain('minimize');
    expect(submenuOf(template, 'Help').map((i) => i.label)).toContain('Aviation Workflow 1.2.3');
    expect(roles(template)).toContain('about');
    expect(roles(template)).toContain('quit');
  });

  it('is plain data: no click handlers to keep alive, every item a role, a label or a separator', () => {
    for (const item of menuItems(build(true, platform))) {
      expect(item.click).toBeUndefined();
      expect(Boolean(item.role || item.label || item.type === 'separator'), JSON.stringify(item)).toBe(true);
    }
  });
});

it('on macOS the first menu is the app menu', () => {
  expect(build(true, 'darwin')[0]!.label).toBe('Aviation Workflow');
  expect(build(true, 'linux')[0]!.label).toBe('File');
});

describe('Help → Open Log Folder', () => {
  it('is there when the app gives a way to open its log folder, and opens it', () => {
    let opened = 0;
    const items = menuItems(buildMenuTemplate({ appName: 'Aviation Workflow', version: '1.0.0', isPackaged: true, platform: 'linux', openLogFolder: () => opened++ }));
    const item = items.find((i) => i.label === 'Open Log Folder');
    (item?.click as () => void)();
    expect(opened).toBe(1);
    expect(menuItems(buildMenuTemplate({ appName: 'A', version: '1', isPackaged: true, platform: 'linux' })).some((i) => i.label === 'Open Log Folder')).toBe(false);
  });
});
