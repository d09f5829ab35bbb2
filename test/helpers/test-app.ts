import { eq } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { openDb, type Db } from '../../db/client.ts';
import { organisations } from '../../db/schema.ts';
import { buildApp } from '../../server/app.ts';
import type { Clock } from '../../server/clock.ts';
import { loadConfig, type Config } from '../../server/config.ts';

export type TestApp = FastifyInstance & { db: Db };

/**
 * The whole app on a fresh, migrated in-memory database, without demo data. Tests that depend on
 * the date pass a fixed clock (`fixedClock` from server/clock.ts); the others get the system clock
 * and must not care what day it is.
 */
export async function buildTestApp(overrides: Partial<Config> = {}, opts: { clock?: Clock } = {}): Promise<TestApp> {
  const config = {
    ...loadConfig({ DEMO: 'false', SESSION_SECRET: 'test-secret-test-secret-test-secret-0123', WEB_DIST: '/nonexistent' }),
    // Suites that move the clock on by days (publicity periods, appeals) stand for people who sign
    // in again each day; the idle limit itself is tested with its real value (staff-security.test.ts).
    sessionIdleMs: 365 * 24 * 3600_000,
    ...overrides,
  };
  const db = openDb(':memory:');
  const app = await buildApp(config, { db, logger: false, clock: opts.clock });
  await app.ready();
  return app as TestApp;
}

/** The root organisation every test tree hangs from (created on first use). */
export function rootOrg(app: TestApp) {
  const existing = app.db.select().from(organisations).where(eq(organisations.path, '/1/')).get();
  if (existing) return existing;
  const row = app.db
    .insert(organisations)
    .values({ id: 1, name: '安徽省总工会', kind: 'union', level: 'province', regionCode: '340000', path: '/1/' })
    .returning()
    .get();
  return row;
}

/** Sends a request as the holder of `cookie` (from `login`/`judgeLogin`). */
export function call(app: TestApp, cookie: string | null, opts: InjectOptions): Promise<LightMyRequestResponse> {
  return app.inject({ ...opts, headers: { ...(opts.headers ?? {}), ...(cookie ? { cookie } : {}) } });
}

export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'sid');
  if (!c) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return `sid=${c.value}`;
}
