import type { ComponentType } from 'react';

/** What a module may add to the main window; it lives in modules/<name>/renderer/index.tsx. */
export interface RendererModule {
  /** Must match the module's name: its parts show only while that module is enabled. */
  name: string;
  screens?: {
    path: string;
    label: string;
    icon: ComponentType<{ size?: number | string }>;
    component: ComponentType;
  }[];
}
