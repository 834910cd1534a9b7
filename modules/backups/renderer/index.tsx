import { IconDatabaseExport } from '@tabler/icons-react';
import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { lazy } from 'react';

// Not on the first paint: its own chunk, fetched when the panel opens.
const BackupsPanel = lazy(() => import('./BackupsPanel').then((m) => ({ default: m.BackupsPanel })));

const backupsRenderer: RendererModule = {
  name: 'backups',
  settingsPanels: [{ path: '/backups', label: 'Backups', icon: IconDatabaseExport, component: BackupsPanel, order: 80 }],
};

export default backupsRenderer;
