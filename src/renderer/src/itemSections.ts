import type { ItemSection, RendererModule } from './moduleTypes';

/**
 * The sections the enabled modules add to an item (view or print), by their order, then module
 * name. Sections that share an id are alternatives: only the one with the highest priority is shown.
 */
export function itemSectionsOf(modules: RendererModule[], part: 'itemSections' | 'printSections'): ItemSection[] {
  const all = modules.flatMap((m) => m[part] ?? []);
  const best = new Map<string, ItemSection>();
  for (const section of all) {
    const held = best.get(section.id);
    if (!held || (section.priority ?? 0) > (held.priority ?? 0)) best.set(section.id, section);
  }
  // Array.sort is stable, so equal orders keep the modules' (name) order.
  return [...new Set(all.map((s) => s.id))].map((id) => best.get(id)!).sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
}
