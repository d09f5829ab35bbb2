import fp from 'fastify-plugin';
import type { Db } from '../../db/client.ts';
import { migrateDb } from '../../db/migrate.ts';
import { seedDemoData } from '../../db/seed.ts';
import { openServerDatabase } from '../../db/startup-checks.ts';
import { ensureShippedCalendar } from '../features/calendar/calendar.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

/** Opens (refusing a database it must not serve), migrates, loads the shipped holiday calendar and (in demo mode, when empty) seeds the database; closes it with the app. */
export default fp(
  async (app, opts: { path: string; demo: boolean; secret: string; db?: Db }) => {
    // A database passed in (tests) belongs to the caller; one opened here passes the start checks
    // (db/startup-checks.ts) and holds the one-server lock until the app closes.
    const opened = opts.db ? { db: opts.db, close: () => {} } : openServerDatabase(opts.path);
    const { db } = opened;
    try {
      migrateDb(db);
      // The national holiday calendar is data the schema needs (working days count on it), demo or not.
      ensureShippedCalendar(db);
      // Demo data is dated around the day the database is created.
      if (opts.demo) await seedDemoData(db, { secret: opts.secret, now: app.clock.now() });
    } catch (error) {
      opened.close();
      throw error;
    }
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      opened.close();
    });
  },
  { name: 'db', dependencies: ['clock'] },
);
