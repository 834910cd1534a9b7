import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { Analytics } from './Analytics';

const reportsRenderer: RendererModule = {
  name: 'reports',
  reports: [{ id: 'analytics', label: 'Analytics', component: Analytics }],
};

export default reportsRenderer;
