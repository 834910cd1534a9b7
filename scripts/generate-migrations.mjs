// Regenerates drizzle-kit SQL migrations for the core and for every module that has a schema.ts.
// Run after changing a schema: npm run db:generate
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const owners = [{ name: 'core', schema: 'src/core/db/schema.ts', out: 'src/core/db/migrations' }];
for (const folder of readdirSync('modules')) {
  const schema = join('modules', folder, 'schema.ts');
  if (existsSync(schema)) owners.push({ name: folder, schema, out: join('modules', folder, 'migrations') });
}
for (const owner of owners) {
  console.log(`\n== ${owner.name}`);
  execFileSync('npx', ['drizzle-kit', 'generate', '--dialect', 'sqlite', '--schema', owner.schema, '--out', owner.out, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
}
