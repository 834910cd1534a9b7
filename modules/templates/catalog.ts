import type { Storage, Tx } from '../../src/core/modules/api';
import { allVersions, currentTemplates, type CurrentTemplate, type TemplateRow, type VersionRow } from './store';

const versionKey = (templateId: number, version: number) => `${templateId}/${version}`;

/**
 * The templates and every saved version as last committed, kept in memory: what the core and other
 * modules ask synchronously (the workflows offered, a template's choice, the rules of the version an
 * item started on) is answered without a query. Filled at setup and again after each of this
 * module's committed writes; nothing else writes the tables (a restored backup restarts the
 * modules, and setup fills it again). Versions are few and never change once saved.
 */
export class TemplateCatalog {
  private current: readonly CurrentTemplate[] = [];
  private keys = new Map<string, TemplateRow>();
  private versions = new Map<string, VersionRow>();
  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly storage: Storage) {}

  replace(current: CurrentTemplate[], versions: VersionRow[]): void {
    this.current = current;
    this.keys = new Map(current.map(({ template }) => [template.key, template]));
    this.versions = new Map(versions.map((v) => [versionKey(v.templateId, v.version), v]));
  }

  /** Every template, active or not, with its current version: by name, as templates.list orders them. */
  list(): readonly CurrentTemplate[] {
    return this.current;
  }

  byKey(key: string): TemplateRow | undefined {
    return this.keys.get(key);
  }

  version(templateId: number, version: number): VersionRow | undefined {
    return this.versions.get(versionKey(templateId, version));
  }

  /**
   * Runs one of this module's writes (a handler's, never inside another run) and, once it has
   * committed, reads the tables again: a write that rolled back changes nothing here.
   */
  async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await this.storage.run(fn);
    await this.reload();
    return result;
  }

  /** Reloads take turns, so the last one to finish read the tables after every commit before it. */
  private reload(): Promise<void> {
    this.reloading = this.reloading
      .catch(() => undefined)
      .then(async () => {
        const [current, versions] = await this.storage.read(async (r) => [await currentTemplates(r, true), await allVersions(r)] as const);
        this.replace(current, versions);
      });
    return this.reloading;
  }
}
