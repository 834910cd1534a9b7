import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { lazy } from 'react';

// The charts are not on the first paint: their own chunk, fetched when the Analytics tab opens.
const Analytics = lazy(() => import('./Analytics').then((m) => ({ default: m.Analytics })));

const reportsRenderer: RendererModule = {
  name: 'reports',
  reports: [{ id: 'analytics', label: 'Analytics', component: Analytics }],
};

export default reportsRenderer;
