import { IconDatabaseExport } from '@tabler/icons-react';
import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { BackupsPanel } from './BackupsPanel';

const backupsRenderer: RendererModule = {
  name: 'backups',
  settingsPanels: [{ path: '/backups', label: 'Backups', icon: IconDatabaseExport, component: BackupsPanel, order: 80 }],
};

export default backupsRenderer;
