import { useAppStore } from './stores/appStore';
import type { RendererModule } from './moduleTypes';

/** Renderer parts of every module folder present at build time. */
const found = import.meta.glob<RendererModule>('../../../modules/*/renderer/index.tsx', { eager: true, import: 'default' });

export const rendererModules: RendererModule[] = Object.values(found).sort((a, b) => a.name.localeCompare(b.name));

/** The renderer parts of the modules that are enabled right now. */
export function useEnabledModules(): RendererModule[] {
  const status = useAppStore((s) => s.status);
  return rendererModules.filter((m) => status?.modules.some((s) => s.name === m.name && s.state === 'enabled'));
}
