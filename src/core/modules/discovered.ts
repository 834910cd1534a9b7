/// <reference types="vite/client" />
import type { ModuleDefinition } from './types';

/**
 * Every folder in modules/ that has an index.ts, found at build time. Deleting a folder and
 * rebuilding removes the module; nothing in the core names a module.
 */
const found = import.meta.glob<ModuleDefinition>('../../../modules/*/index.ts', { eager: true, import: 'default' });

export const discoveredModules: { folder: string; definition: ModuleDefinition }[] = Object.entries(found)
  .map(([path, definition]) => ({ folder: path.split('/').at(-2) ?? path, definition }))
  .sort((a, b) => a.folder.localeCompare(b.folder));
