import type { RendererModule } from './moduleTypes';

/** Renderer parts of every module folder present at build time. */
const found = import.meta.glob<RendererModule>('../../../modules/*/renderer/index.tsx', { eager: true, import: 'default' });

export const rendererModules: RendererModule[] = Object.values(found).sort((a, b) => a.name.localeCompare(b.name));
