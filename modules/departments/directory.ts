import type { Storage, Tx } from '../../src/core/modules/api';
import { allDepartments, type DepartmentRow } from './store';

/**
 * The departments as last committed, kept in memory: what other modules and the core ask
 * synchronously (a department by code, the list, the department a step names) is answered without
 * a query. Filled at setup and again after each of this module's committed writes; nothing else
 * writes the table (a restored backup restarts the modules, and setup fills it again).
 */
export class KnownDepartments {
  private rows: readonly DepartmentRow[] = [];
  private codes = new Map<string, DepartmentRow>();
  private nameKeys = new Map<string, DepartmentRow>();
  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly storage: Storage) {}

  replace(rows: DepartmentRow[]): void {
    this.rows = rows;
    this.codes = new Map(rows.map((row) => [row.code, row]));
    this.nameKeys = new Map(rows.map((row) => [row.nameKey, row]));
  }

  /** All of them, active or not, in their order. */
  all(): readonly DepartmentRow[] {
    return this.rows;
  }

  byCode(code: string): DepartmentRow | undefined {
    return this.codes.get(code);
  }

  byNameKey(nameKey: string): DepartmentRow | undefined {
    return this.nameKeys.get(nameKey);
  }

  /**
   * Runs one of this module's writes (a handler's, never inside another run) and, once it has
   * committed, reads the table again: a write that rolled back changes nothing here.
   */
  async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await this.storage.run(fn);
    await this.reload();
    return result;
  }

  /** Reloads take turns, so the last one to finish read the table after every commit before it. */
  private reload(): Promise<void> {
    this.reloading = this.reloading.catch(() => undefined).then(async () => this.replace(await this.storage.read(allDepartments)));
    return this.reloading;
  }
}
