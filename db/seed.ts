import type { Db } from './client.ts';

/** Loads the demo data set into an empty database. */
export async function seedDemoData(_db: Db): Promise<void> {}
