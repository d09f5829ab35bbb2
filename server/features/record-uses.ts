import type { Db } from '../../db/client.ts';

/**
 * Which records still point at row `id` of `table`, as `table.column → count`, found from the
 * schema's foreign keys (so a table added later is counted without anyone remembering to). Keys
 * that cascade or set null on delete are left out: they never stop a delete. A delete answers 409
 * with this list rather than fail on the foreign key (a 500).
 */
export function recordsUsing(db: Db, table: string, id: number): Record<string, number> {
  const client = db.$client;
  const tables = client.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'`).all() as { name: string }[];
  const uses: Record<string, number> = {};
  for (const { name } of tables) {
    const keys = client.prepare(`select "from" as col, on_delete from pragma_foreign_key_list(?) where "table" = ?`).all(name, table) as { col: string; on_delete: string }[];
    for (const { col, on_delete } of keys) {
      if (on_delete === 'CASCADE' || on_delete === 'SET NULL') continue;
      const n = (client.prepare(`select count(*) as n from "${name}" where "${col}" = ?`).get(id) as { n: number }).n;
      if (n > 0) uses[`${name}.${col}`] = n;
    }
  }
  return uses;
}

/** The list as a 409's detail reads it: `entries.person_id 2, skill_certificates.person_id 1`. */
export function usesText(uses: Record<string, number>): string {
  return Object.entries(uses)
    .map(([where, n]) => `${where} ${n}`)
    .join(', ');
}
