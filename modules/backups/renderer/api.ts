import { apiFor } from '../../../src/renderer/src/api/client';
import type { backupsContract } from '../contract';

/** This module's channels, typed from its contract (types only: no zod in the bundle). */
export const backupsApi = apiFor<typeof backupsContract>();

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** With seconds: two backups in the same minute must not look alike. */
export const preciseTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
