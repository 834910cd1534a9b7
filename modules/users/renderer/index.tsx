import { IconUsers } from '@tabler/icons-react';
import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { UsersGate } from './Gate';
import { SignatureRecord } from './SignatureRecord';
import { UserMenu } from './UserMenu';
import { UsersPanel } from './UsersPanel';

const usersRenderer: RendererModule = {
  name: 'users',
  gate: UsersGate,
  headerItems: [UserMenu],
  settingsPanels: [{ path: '/users', label: 'Users', icon: IconUsers, component: UsersPanel, order: 30 }],
  itemSections: [{ id: 'signatures', component: SignatureRecord }],
  printSections: [{ id: 'signatures', component: SignatureRecord }],
};

export default usersRenderer;
