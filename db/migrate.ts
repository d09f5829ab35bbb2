import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Db } from './client.ts';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Brings the schema up to date with the committed drizzle-kit migrations. */
export function migrateDb(db: Db): void {
  migrate(db, { migrationsFolder });
}
