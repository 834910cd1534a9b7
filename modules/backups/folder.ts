import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backup } from './contract';
import { parseBackupName } from './names';

/** What a backup's JSON sidecar (<name>.json beside it) holds: the file and its metadata travel together. */
type Manifest = Omit<Backup, 'name' | 'sizeBytes'>;

/** The backups folder: one .sqlite per backup, each with a JSON sidecar. */
export class BackupFolder {
  constructor(readonly path: string) {
    mkdirSync(path, { recursive: true });
  }

  file(name: string): string {
    return join(this.path, name);
  }

  /** Every backup file, newest first; a file without a sidecar is listed as unchecked. */
  list(): Backup[] {
    return readdirSync(this.path)
      .flatMap((name) => {
        const parsed = parseBackupName(name);
        return parsed ? [this.read(name, parsed)] : [];
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
  }

  get(name: string): Backup | null {
    const parsed = parseBackupName(name);
    return parsed && existsSync(this.file(name)) ? this.read(name, parsed) : null;
  }

  save(backup: Backup): Backup {
    const { name, sizeBytes: _, ...manifest } = backup;
    const sidecar = `${this.file(name)}.json`;
    writeFileSync(`${sidecar}.tmp`, JSON.stringify(manifest satisfies Manifest, null, 2));
    renameSync(`${sidecar}.tmp`, sidecar);
    return this.get(name) ?? backup;
  }

  delete(name: string): void {
    for (const suffix of ['', '-wal', '-shm', '.json']) rmSync(this.file(name) + suffix, { force: true });
  }

  private read(name: string, parsed: { preRestore: boolean; createdAt: string }): Backup {
    const file = this.file(name);
    let manifest: Partial<Manifest> = {};
    try {
      manifest = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Manifest;
    } catch {
      /* no sidecar yet (a pre-restore copy made at start-up) or an unreadable one: treat as unchecked */
    }
    return {
      name,
      kind: manifest.kind ?? (parsed.preRestore ? 'pre-restore' : 'manual'),
      createdAt: manifest.createdAt ?? parsed.createdAt,
      sizeBytes: statSync(file).size,
      verification: manifest.verification ?? { state: 'unchecked', checkedAt: null },
      rows: manifest.rows ?? null,
    };
  }
}
