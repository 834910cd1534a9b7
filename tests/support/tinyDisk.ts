import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small filesystem of its own (tmpfs), to fill up or make read-only for real. Mounting needs
 * root (tests here may run as root, where chmod does not stop writes): null where it cannot be
 * mounted, with the reason, so a test can skip saying why.
 */
export interface TinyDisk {
  dir: string;
  /** Writes a filler file until the disk is full. */
  fill(): void;
  /** Makes the whole filesystem read-only (nothing may have a file open for writing on it). */
  readOnly(): void;
  cleanup(): void;
}

export function tinyDisk(size = '16m'): TinyDisk | string {
  if (process.getuid?.() !== 0) return 'mounting a small filesystem needs root';
  const dir = mkdtempSync(join(tmpdir(), 'aw-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `mount failed: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()}`;
  }
  return {
    dir,
    fill() {
      for (let i = 0; ; i++) {
        try {
          writeFileSync(join(dir, `filler-${i}`), Buffer.alloc(64 * 1024));
        } catch {
          break;
        }
      }
      // The last blocks, too small for a whole chunk.
      for (let i = 0; i < 64; i++) {
        try {
          writeFileSync(join(dir, `crumb-${i}`), Buffer.alloc(1024));
        } catch {
          break;
        }
      }
    },
    readOnly() {
      execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' });
    },
    cleanup() {
      for (const args of [[dir], ['-l', dir]]) {
        try {
          execFileSync('umount', args, { stdio: 'pipe' });
          break;
        } catch {
          // Busy for a moment (a closing process): the lazy unmount detaches it anyway.
        }
      }
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // An empty mount point left in the temp folder.
      }
    },
  };
}
