import { IconHistory } from '@tabler/icons-react';
import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { lazy } from 'react';

// Not on the first paint: its own chunk, fetched when the panel opens.
const AuditPanel = lazy(() => import('./AuditPanel').then((m) => ({ default: m.AuditPanel })));

const auditRenderer: RendererModule = {
  name: 'audit',
  settingsPanels: [{ path: '/audit', label: 'Audit trail', icon: IconHistory, component: AuditPanel, order: 90 }],
};

export default auditRenderer;
