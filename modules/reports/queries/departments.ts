import { sql } from 'drizzle-orm';
import { stepNamesCte, type Read } from './shared';

/** Every step name on any item's workflow (a few snapshot rows), in the order steps come. */
export async function departments(read: Read): Promise<string[]> {
  const rows = await read<{ department: string }>(sql`
    with ${stepNamesCte}
    select department from step_names group by department order by min(step_index), department
  `);
  return rows.map((r) => r.department);
}
