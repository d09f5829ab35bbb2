import { eq, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { healthProbe } from './schema.ts';

export type DatabaseHealth = {
  read: boolean;
  write: boolean;
  /** Why a probe failed (`read: …` / `write: …`), absent when both succeed. */
  error?: string;
};

/**
 * The database probes behind /health: a read of the `health_probe` row and an upsert of it. The
 * write proves what a read cannot (the file or folder turned read-only, the disk full, another
 * process holding the write lock). Statements are prepared once, so a probe is two cheap steps.
 */
export function databaseProbe(db: Db): (now: Date) => DatabaseHealth {
  const readRow = db.select({ checkedAt: healthProbe.checkedAt }).from(healthProbe).where(eq(healthProbe.id, 1)).prepare();
  const writeRow = db
    .insert(healthProbe)
    .values({ id: 1, checkedAt: sql.placeholder('now') })
    .onConflictDoUpdate({ target: healthProbe.id, set: { checkedAt: sql`excluded.checked_at` } })
    .prepare();
  return (now) => {
    const errors: string[] = [];
    const attempt = (probe: string, run: () => unknown) => {
      try {
        run();
        return true;
      } catch (error) {
        errors.push(`${probe}: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      }
    };
    const read = attempt('read', () => readRow.get());
    const write = attempt('write', () => writeRow.run({ now }));
    return errors.length ? { read, write, error: errors.join('; ') } : { read, write };
  };
}
