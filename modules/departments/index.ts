import { asc, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { defineModule } from '../../src/core/modules/types';
import { departmentsContract, type Department } from './contract';
import { departments } from './schema';

const configSchema = z.strictObject({
  /** Created on first run only, when there are no departments yet. */
  defaults: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(80),
        code: z.string().trim().min(1).max(12).regex(/^[A-Z0-9_-]+$/, 'codes are capital letters, digits, - and _'),
      }),
    )
    .default([]),
});

/** What dependent modules may ask of this one (see ctx.use). */
export interface DepartmentDirectory {
  byCode(code: string): Department | null;
}

export default defineModule({
  name: 'departments',
  version: '0.1.0',
  description: 'The departments an item moves through (Engineering, Quality Control, Operations, …).',
  hasMigrations: true,
  configSchema,
  contract: departmentsContract,
  setup({ db, config, clock, transaction }) {
    transaction(() => {
      if ((db.select({ n: count() }).from(departments).get()?.n ?? 0) > 0) return;
      config.defaults.forEach((d, position) =>
        db.insert(departments).values({ name: d.name, code: d.code, position, active: true, createdAt: clock() }).run(),
      );
    });

    const toDepartment = (row: typeof departments.$inferSelect): Department => ({
      id: row.id,
      name: row.name,
      code: row.code,
      position: row.position,
      active: row.active,
    });

    const directory: DepartmentDirectory = {
      byCode(code) {
        const row = db.select().from(departments).where(eq(departments.code, code)).get();
        return row ? toDepartment(row) : null;
      },
    };

    return {
      exports: directory,
      handlers: {
        'departments.list': ({ includeInactive }) =>
          db
            .select()
            .from(departments)
            .where(includeInactive ? undefined : eq(departments.active, true))
            .orderBy(asc(departments.position), asc(departments.id))
            .all()
            .map(toDepartment),
      },
    };
  },
});
