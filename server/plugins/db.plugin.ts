import fp from 'fastify-plugin';
import { openDb, type Db } from '../../db/client.ts';
import { migrateDb } from '../../db/migrate.ts';
import { seedDemoData } from '../../db/seed.ts';
import { ensureShippedCalendar } from '../features/calendar/calendar.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

/** Opens, migrates, loads the shipped holiday calendar and (in demo mode, when empty) seeds the database; closes it with the app. */
export default fp(
  async (app, opts: { path: string; demo: boolean; secret: string; db?: Db }) => {
    const db = opts.db ?? openDb(opts.path);
    migrateDb(db);
    // The national holiday calendar is data the schema needs (working days count on it), demo or not.
    ensureShippedCalendar(db);
    // Demo data is dated around the day the database is created.
    if (opts.demo) await seedDemoData(db, { secret: opts.secret, now: app.clock.now() });
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      if (!opts.db) db.$client.close();
    });
  },
  { name: 'db', dependencies: ['clock'] },
);
