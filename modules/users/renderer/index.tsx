import { IconUsers } from '@tabler/icons-react';
import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { UsersGate } from './Gate';
import { SignatureRecord } from './SignatureRecord';
import { UserMenu } from './UserMenu';
import { LOCK_SHORTCUT } from './useTerminalLock';
import { lazy } from 'react';

// Not on the first paint: its own chunk, fetched when the panel opens (the gate and the menu are on it).
const UsersPanel = lazy(() => import('./UsersPanel').then((m) => ({ default: m.UsersPanel })));

const usersRenderer: RendererModule = {
  name: 'users',
  gate: UsersGate,
  headerItems: [UserMenu],
  shortcuts: [{ keys: LOCK_SHORTCUT, description: 'Lock this terminal' }],
  settingsPanels: [{ path: '/users', label: 'Users', icon: IconUsers, component: UsersPanel, order: 30 }],
  // The approvals module's sign-off record shows these too, and replaces this list while it is on.
  itemSections: [{ id: 'signoff-record', component: SignatureRecord, order: 20 }],
  printSections: [{ id: 'signoff-record', component: SignatureRecord, order: 20 }],
};

export default usersRenderer;
