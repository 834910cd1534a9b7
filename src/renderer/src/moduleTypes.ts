import type { ComponentType, ReactNode } from 'react';
import type { Actor, WorkItem } from '../../shared/types';

type Icon = ComponentType<{ size?: number | string }>;

/** A keyboard shortcut as @mantine/hooks' useHotkeys spells it ('mod+L', 'shift+?', 'A'), and what it does. */
export interface Shortcut {
  keys: string;
  description: string;
}

/** One entry in an item's timeline, from the core's events or from a module (comments…). */
export interface TimelineEntry {
  key: string;
  at: string;
  actor: Actor;
  title: string;
  body?: ReactNode;
  color: string;
  icon: Icon;
}

export interface ItemSectionProps {
  item: WorkItem;
}

export interface ItemSection {
  id: string;
  component: ComponentType<ItemSectionProps>;
  /**
   * Sections with the same id are alternatives: only the highest priority one is shown (default
   * 0). A module with a fuller record (approvals' sign-off record, which includes e-signatures)
   * thereby replaces another's simpler one, and the simpler one is back when that module is off.
   */
  priority?: number;
  /** Where it stands among the sections, lowest first (default 50; then by module name). */
  order?: number;
}

/**
 * What a module may add to the screens; it lives in modules/<name>/renderer/index.tsx and is
 * shown only while the module is enabled. Each part is optional.
 */
export interface RendererModule {
  /** Must match the module's name. */
  name: string;
  /**
   * Wraps each window (a sign-in module shows its sign-in or lock screen instead of the
   * children while nobody is signed in). Only the first enabled module's gate is used.
   */
  gate?: ComponentType<{ children: ReactNode; window: 'main' | 'settings' }>;
  /** Shown at the right of the main window's header (who is signed in, a Lock button). */
  headerItems?: ComponentType[];
  /** Keyboard shortcuts the module handles itself, listed in the shortcuts help (`?`). */
  shortcuts?: Shortcut[];
  /** Screens in the main window's navigation. */
  screens?: { path: string; label: string; icon: Icon; component: ComponentType }[];
  /** Panels in the settings window, at #/settings/<path>. */
  settingsPanels?: {
    path: string;
    label: string;
    icon: Icon;
    component: ComponentType;
    /** Where it sits in the settings navigation, lowest first (the window opens on the first). Default 50. */
    order?: number;
  }[];
  /** Tabs of the Reports screen, at #/reports/<id>, after the core's Overview tab. */
  reports?: { id: string; label: string; component: ComponentType }[];
  /** Sections shown in the item view, below the workflow (e.g. a comment thread). */
  itemSections?: ItemSection[];
  /** Read-only sections of an item's printed record (e.g. the sign-off record). */
  printSections?: ItemSection[];
  /** Entries merged into the item's timeline, in time order with the transitions. */
  timeline?: (itemId: number) => Promise<TimelineEntry[]>;
}
