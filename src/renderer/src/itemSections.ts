import type { ItemSection, RendererModule } from './moduleTypes';

/**
 * The sections the enabled modules add to an item (view or print), in module order. Sections
 * that share an id are alternatives: only the one with the highest priority is shown, where the
 * first registered one stood.
 */
export function itemSectionsOf(modules: RendererModule[], part: 'itemSections' | 'printSections'): ItemSection[] {
  const all = modules.flatMap((m) => m[part] ?? []);
  const best = new Map<string, ItemSection>();
  for (const section of all) {
    const held = best.get(section.id);
    if (!held || (section.priority ?? 0) > (held.priority ?? 0)) best.set(section.id, section);
  }
  return [...new Set(all.map((s) => s.id))].map((id) => best.get(id)!);
}
