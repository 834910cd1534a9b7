import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { freeName } from '../../src/core/db/databaseFile';
import { pendingRestore, requestRestore, takeRestoreReport, writeRestorePoints } from '../../src/core/db/restore';
import type { ModuleContext } from '../../src/core/modules/types';
import { AppError } from '../../src/shared/errors';
import type { Actor } from '../../src/shared/types';
import type { Backup, BackupJob, BackupsStatus } from './contract';
import type { BackupFolder } from './folder';
import { backupFileName } from './names';
import { backupsToDelete, retentionRule, type Keep } from './retention';
import { verifyBackupFile } from './verify';

export interface BackupSettings {
  intervalHours: number | null;
  keep: Keep;
  pagesPerStep: number;
}

export const SCHEDULER: Actor = { id: 'system:backups', name: 'Scheduled backup' };

const iso = (at: number) => new Date(at).toISOString();

/** Backups, verification, retention and restore requests: what the channels and the timer call. */
export class BackupService {
  private job: BackupJob | null = null;
  private running: Promise<Backup | null> | null = null;
  private stopped = false;
  private jobCount = 0;
  private lastRestore: BackupsStatus['lastRestore'] = null;
  /** The checks of files this module did not write, started by afterStart. */
  private startupChecks: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ModuleContext<unknown>,
    private readonly folder: BackupFolder,
    private readonly settings: BackupSettings,
  ) {}

  list = (): Backup[] => this.folder.list();

  status = (): BackupsStatus => {
    const pending = pendingRestore(this.ctx.dataDir);
    return {
      folder: this.folder.path,
      job: this.job ? { ...this.job } : null,
      nextDueAt: this.nextDueAt(),
      intervalHours: this.settings.intervalHours,
      retention: retentionRule(this.settings.keep),
      pendingRestore: pending ? { backup: basename(pending.source) } : null,
      lastRestore: this.lastRestore,
    };
  };

  /** Due `intervalHours` after the newest verified backup (manual or scheduled); at once if there is none. */
  nextDueAt(): string | null {
    if (!this.settings.intervalHours) return null;
    const latest = this.list().find((b) => b.kind !== 'pre-restore' && b.verification.state === 'ok');
    return iso(latest ? Date.parse(latest.createdAt) + this.settings.intervalHours * 3_600_000 : this.ctx.clock());
  }

  isDue(): boolean {
    const due = this.nextDueAt();
    return due !== null && Date.parse(due) <= this.ctx.clock();
  }

  /** Starts a backup and returns its job at once; the copy runs in steps while the app keeps working. */
  start(kind: BackupJob['kind'], actor: Actor): { job: BackupJob; done: Promise<Backup | null> } {
    if (this.stopped) throw new AppError('INVALID_TRANSITION', 'The app is closing; no backup was started.');
    if (this.running) throw new AppError('INVALID_TRANSITION', 'A backup is already running; wait for it to finish.');
    this.refuseIfRestorePending();
    const job: BackupJob = { id: `job-${++this.jobCount}`, kind, state: 'copying', progress: 0, startedAt: iso(this.ctx.clock()), finishedAt: null, backup: null };
    this.job = job;
    const done = this.run(job, actor).finally(() => (this.running = null));
    this.running = done;
    return { job: { ...job }, done };
  }

  async runDue(): Promise<Backup | null> {
    if (this.running || !this.isDue() || pendingRestore(this.ctx.dataDir)) return null;
    return this.start('scheduled', SCHEDULER).done;
  }

  private async run(job: BackupJob, actor: Actor): Promise<Backup | null> {
    const sqlite = this.ctx.db.$client;
    const name = basename(freeName(this.folder.file(backupFileName(job.kind, Date.parse(job.startedAt)))));
    const partial = `${this.folder.file(name)}.partial`;
    try {
      // Transitions are only ever appended, with growing ids: the highest one is an indexed look-up, not a count.
      const lastTransitionAtStart = (sqlite.prepare('select coalesce(max(id), 0) as id from transition_events').get() as { id: number }).id;
      // The copy goes on in steps between other calls (SQLite restarts or updates it when they write).
      await this.ctx.storage.released(() => sqlite.backup(partial, {
        progress: ({ totalPages, remainingPages }: { totalPages: number; remainingPages: number }) => {
          const copied = totalPages ? Math.floor((100 * (totalPages - remainingPages)) / totalPages) : 0;
          job.progress = Math.max(job.progress, Math.min(99, copied));
          return this.settings.pagesPerStep;
        },
      }));
      job.progress = 100;
      job.state = 'verifying';
      this.makeSelfContained(partial);
      const result = await verifyBackupFile(this.ctx.inspectFile, partial);
      // A good copy holds at least the transitions committed when it began.
      if (result.ok && result.rows && result.lastTransitionId < lastTransitionAtStart) {
        Object.assign(result, {
          ok: false,
          problem: `it holds transitions numbered up to ${result.lastTransitionId}; the database had transitions numbered up to ${lastTransitionAtStart} when the backup began`,
        });
      }
      renameSync(partial, this.folder.file(name));
      const backup = this.folder.save({
        name,
        kind: job.kind,
        createdAt: job.startedAt,
        sizeBytes: 0,
        verification: { state: result.ok ? 'ok' : 'failed', checkedAt: iso(this.ctx.clock()), ...(result.problem ? { problem: result.problem } : {}) },
        rows: result.rows,
      });
      if (this.stopped) return backup;
      this.ctx.transaction(() => {
        this.ctx.recordChange({ entity: 'backup', entityId: name, action: 'created', after: { kind: job.kind, sizeBytes: backup.sizeBytes } }, actor);
        this.ctx.recordChange({ entity: 'backup', entityId: name, action: 'verified', after: backup.verification }, actor);
      });
      this.applyRetention(actor);
      Object.assign(job, { state: result.ok ? 'done' : 'failed', finishedAt: iso(this.ctx.clock()), backup });
      if (!result.ok) job.error = `The backup was written but failed its check: ${result.problem}`;
      return backup;
    } catch (error) {
      rmSync(partial, { force: true });
      Object.assign(job, { state: 'failed', finishedAt: iso(this.ctx.clock()), error: `The backup failed: ${(error as Error).message}` });
      if (!this.stopped) this.ctx.log(`Problem: ${job.error}`);
      return null;
    }
  }

  /** A backup copies the WAL flag too; in rollback-journal mode it is one file that opens anywhere, even read-only media. */
  private makeSelfContained(file: string): void {
    const db = this.ctx.openFile(file, { readonly: false });
    try {
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
  }

  /** Checks a backup again on a worker thread and records the result; the app keeps answering meanwhile. */
  async verify(name: string, actor: Actor): Promise<Backup> {
    const notFound = () => new AppError('NOT_FOUND', `There is no backup named ${name}; it may have been deleted.`, { name });
    if (!this.folder.get(name)) throw notFound();
    const result = await verifyBackupFile(this.ctx.inspectFile, this.folder.file(name));
    if (this.stopped) throw new AppError('INVALID_TRANSITION', 'The app is closing; the check of the backup was not recorded.');
    // Read again: while it was checked, retention may have deleted it, or another check recorded its result.
    const backup = this.folder.get(name);
    if (!backup) throw notFound();
    const verified = this.folder.save({
      ...backup,
      verification: { state: result.ok ? 'ok' : 'failed', checkedAt: iso(this.ctx.clock()), ...(result.problem ? { problem: result.problem } : {}) },
      rows: result.ok ? result.rows : backup.rows,
    });
    this.ctx.transaction(() => this.ctx.recordChange({ entity: 'backup', entityId: name, action: 'verified', before: backup.verification, after: verified.verification }, actor));
    this.publishRestorePoints();
    return verified;
  }

  /** Verifies the backup, then asks for it to replace the database at the next start. */
  async restore(name: string, actor: Actor): Promise<{ restarting: boolean; preRestoreCopy: string }> {
    this.refuseRestoreNow();
    const backup = await this.verify(name, actor);
    // The check took a while: a backup or another restore may have started meanwhile.
    this.refuseRestoreNow();
    if (backup.verification.state !== 'ok') {
      throw new AppError(
        'INVALID_TRANSITION',
        `The backup from ${backup.createdAt} is damaged and was not restored (${backup.verification.problem}). Nothing was changed; choose another backup.`,
        { name, problem: backup.verification.problem },
      );
    }
    const preRestoreCopy = backupFileName('pre-restore', this.ctx.clock());
    requestRestore(this.ctx.dataDir, {
      source: this.folder.file(name),
      moveCurrentTo: this.folder.file(preRestoreCopy),
      requestedBy: { id: actor.id, name: actor.name },
      reason: 'requested',
    });
    this.ctx.restart?.();
    return { restarting: this.ctx.restart !== null, preRestoreCopy };
  }

  private refuseRestoreNow(): void {
    if (this.running) throw new AppError('INVALID_TRANSITION', 'A backup is running; restore when it has finished.');
    this.refuseIfRestorePending();
  }

  private refuseIfRestorePending(): void {
    const pending = pendingRestore(this.ctx.dataDir);
    if (pending) throw new AppError('INVALID_TRANSITION', `A restore of ${basename(pending.source)} waits for the app to restart; restart it first.`);
  }

  private applyRetention(actor: Actor): void {
    for (const backup of backupsToDelete(this.list(), this.settings.keep)) {
      this.ctx.transaction(() => {
        this.ctx.recordChange({ entity: 'backup', entityId: backup.name, action: 'deleted-by-retention', before: { createdAt: backup.createdAt, verification: backup.verification.state } }, actor);
        this.folder.delete(backup.name);
      });
    }
    this.publishRestorePoints();
  }

  /** Tells a later start which backups it can offer if the database is found damaged. */
  private publishRestorePoints(): void {
    const points = this.list()
      .filter((b) => b.kind !== 'pre-restore' && b.verification.state === 'ok')
      .map((b) => ({ file: this.folder.file(b.name), createdAt: b.createdAt, sizeBytes: b.sizeBytes }));
    writeRestorePoints(this.ctx.dataDir, points);
  }

  /**
   * At start: records a restore done before the database opened (in the restored database, so
   * its audit trail has it) at once, then verifies files this module did not write (the
   * pre-restore copy) off the thread; the promise settles when they are checked.
   */
  afterStart(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const report = takeRestoreReport(this.ctx.dataDir);
    if (report) {
      this.lastRestore = {
        backup: basename(report.source),
        appliedAt: report.appliedAt,
        previousDatabase: report.movedCurrentTo && basename(report.movedCurrentTo),
        reason: report.reason,
      };
      this.ctx.transaction(() =>
        this.ctx.recordChange(
          {
            entity: 'backup',
            entityId: basename(report.source),
            action: 'restored',
            after: { reason: report.reason, previousDatabaseKeptAt: report.movedCurrentTo, appliedAt: report.appliedAt },
          },
          report.requestedBy,
        ),
      );
    }
    this.publishRestorePoints();
    const unchecked = this.list().filter((b) => b.verification.state === 'unchecked');
    this.startupChecks = (async () => {
      try {
        for (const backup of unchecked) {
          if (this.stopped) return;
          if (existsSync(this.folder.file(backup.name))) await this.verify(backup.name, report?.requestedBy ?? SCHEDULER);
        }
      } catch (error) {
        // Closed meanwhile: nothing to report.
        if (!this.stopped) throw error;
      }
    })();
    return this.startupChecks;
  }

  /** Resolves once the checks afterStart began have finished (whether or not they succeeded). */
  async startupChecked(): Promise<void> {
    await this.startupChecks.catch(() => {});
  }

  stop(): void {
    this.stopped = true;
  }
}
