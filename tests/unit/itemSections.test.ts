import { describe, expect, it } from 'vitest';
import { itemSectionsOf } from '../../src/renderer/src/itemSections';
import type { ItemSection, RendererModule } from '../../src/renderer/src/moduleTypes';

const section = (id: string, extra: Partial<ItemSection> = {}): ItemSection => ({ id, component: () => null, ...extra });
const mod = (name: string, ...itemSections: ItemSection[]): RendererModule => ({ name, itemSections });
const ids = (modules: RendererModule[]) => itemSectionsOf(modules, 'itemSections').map((s) => `${s.id}${s.priority ? `@${s.priority}` : ''}`);

describe('item sections of the enabled modules', () => {
  it('shows one of the sections sharing an id, the highest priority, whichever module comes first', () => {
    const modules = [mod('approvals', section('signoff-record', { priority: 10, order: 20 })), mod('users', section('signoff-record', { order: 20 }))];
    expect(ids(modules)).toEqual(['signoff-record@10']);
    expect(ids([...modules].reverse())).toEqual(['signoff-record@10']);
    // With the fuller one's module off, the simpler one is back.
    expect(ids([modules[1]!])).toEqual(['signoff-record']);
  });

  it('orders by order, then by module order for equal ones (default 50)', () => {
    const modules = [mod('a', section('late')), mod('b', section('comments', { order: 30 })), mod('c', section('assignment', { order: 10 })), mod('d', section('also-late'))];
    expect(ids(modules)).toEqual(['assignment', 'comments', 'late', 'also-late']);
  });
});
