import { IconHistory } from '@tabler/icons-react';
import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { lazy } from 'react';

// Not on the first paint: their own chunks, fetched when the panel or section opens.
const AuditPanel = lazy(() => import('./AuditPanel').then((m) => ({ default: m.AuditPanel })));
const ItemHistorySection = lazy(() => import('./ItemHistory').then((m) => ({ default: m.ItemHistorySection })));
const ItemHistoryPrint = lazy(() => import('./ItemHistory').then((m) => ({ default: m.ItemHistoryPrint })));

const auditRenderer: RendererModule = {
  name: 'audit',
  settingsPanels: [{ path: '/audit', label: 'Audit trail', icon: IconHistory, component: AuditPanel, order: 90 }],
  itemSections: [{ id: 'audit-history', component: ItemHistorySection, order: 90 }],
  printSections: [{ id: 'audit-history', component: ItemHistoryPrint, order: 90 }],
};

export default auditRenderer;
