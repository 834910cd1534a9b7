import { IconTemplate } from '@tabler/icons-react';
import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { lazy } from 'react';

// Not on the first paint: its own chunk, fetched when the panel opens.
const TemplatesPanel = lazy(() => import('./TemplatesPanel').then((m) => ({ default: m.TemplatesPanel })));

const templatesRenderer: RendererModule = {
  name: 'templates',
  settingsPanels: [{ path: '/templates', label: 'Templates', icon: IconTemplate, component: TemplatesPanel, order: 20 }],
};

export default templatesRenderer;
