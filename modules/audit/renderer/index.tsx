import { IconHistory } from '@tabler/icons-react';
import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { AuditPanel } from './AuditPanel';

const auditRenderer: RendererModule = {
  name: 'audit',
  settingsPanels: [{ path: '/audit', label: 'Audit trail', icon: IconHistory, component: AuditPanel, order: 90 }],
};

export default auditRenderer;
