// Regenerates drizzle-kit SQL migrations for the core and for every module, per dialect:
// SQLite from schema.ts into migrations/, PostgreSQL from schema.pg.ts into migrations-pg/ (where
// the owner has one). Run after changing a schema: npm run db:generate
// `--only sqlite` or `--only postgresql` limits it to one dialect; other arguments go to drizzle-kit
// (e.g. --custom --name append_only for a hand-written migration).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const passed = only ? args.filter((_, i) => i !== args.indexOf('--only') && i !== args.indexOf('--only') + 1) : args;

const owners = [{ name: 'core', folder: 'src/core/db', schema: 'schema' }];
for (const folder of readdirSync('modules')) owners.push({ name: folder, folder: join('modules', folder), schema: 'schema' });
const dialects = [
  { dialect: 'sqlite', schema: (o) => join(o.folder, `${o.schema}.ts`), out: (o) => join(o.folder, 'migrations') },
  { dialect: 'postgresql', schema: (o) => join(o.folder, `${o.schema}.pg.ts`), out: (o) => join(o.folder, 'migrations-pg') },
];
for (const { dialect, schema, out } of dialects) {
  if (only && only !== dialect) continue;
  for (const owner of owners) {
    if (!existsSync(schema(owner))) continue;
    console.log(`\n== ${owner.name} (${dialect})`);
    execFileSync('npx', ['drizzle-kit', 'generate', '--dialect', dialect, '--schema', schema(owner), '--out', out(owner), ...passed], {
      stdio: 'inherit',
    });
  }
}
