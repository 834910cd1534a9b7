import { IconTemplate } from '@tabler/icons-react';
import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { TemplatesPanel } from './TemplatesPanel';

const templatesRenderer: RendererModule = {
  name: 'templates',
  settingsPanels: [{ path: '/templates', label: 'Templates', icon: IconTemplate, component: TemplatesPanel, order: 20 }],
};

export default templatesRenderer;
