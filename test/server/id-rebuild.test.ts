import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { DEMO_JUDGE_CODES, DEMO_PASSWORD } from '../../db/seed.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { sessionCookie, type TestApp } from '../helpers/test-app.ts';

/**
 * Roles that may not see full ID numbers read every GET operation of the API (from the OpenAPI
 * document, path ids tried from 1 to 4) on the demo data; no answer may let them rebuild a
 * person's number: never the full number, and never a masked number (340123********3770) together
 * with that person's birth date (the eight hidden digits).
 */
let app: TestApp;
let people: { idNumber: string; birthDate: string }[];

beforeAll(async () => {
  const config = loadConfig({ DEMO: 'true', LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent' });
  app = (await buildApp(config, { db: openDb(':memory:'), logger: false })) as TestApp;
  await app.ready();
  people = app.db.$client.prepare('select id_number as idNumber, birth_date as birthDate from people').all() as typeof people;
});
afterAll(() => app.close());

const MASKED = /(\d{6})\*{8}(\d{3}[\dX])/g;

/** What in `body` rebuilds an ID number, if anything. */
function rebuilds(body: string): string | null {
  for (const p of people) if (body.includes(p.idNumber)) return `full ID number ${p.idNumber}`;
  for (const m of body.matchAll(MASKED)) {
    const owners = people.filter((p) => p.idNumber.startsWith(m[1]!) && p.idNumber.endsWith(m[2]!));
    for (const p of owners) {
      const compact = p.birthDate.replaceAll('-', '');
      if (body.includes(p.birthDate) || body.includes(compact)) return `${m[0]} with the birth date ${p.birthDate}`;
    }
  }
  return null;
}

async function cookieOf(kind: 'staff' | 'judge', who: string): Promise<string> {
  const res =
    kind === 'staff'
      ? await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: who, password: DEMO_PASSWORD } })
      : await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code: who } });
  return sessionCookie(res);
}

describe('masked ID numbers cannot be rebuilt', () => {
  it('from any GET operation, as a viewer, a studio officer, a chief judge, a judge or a visitor', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const paths = Object.entries(doc.paths)
      .filter(([, ops]) => 'get' in ops)
      .map(([path]) => path)
      .filter((path) => !path.endsWith('/live')); // streams never end under inject (covered by the live tests)
    const callers: [string, string | null][] = [
      ['viewer', await cookieOf('staff', 'viewer')],
      ['studio officer', await cookieOf('staff', 'studio')],
      ['chief judge', await cookieOf('judge', DEMO_JUDGE_CODES.无人机驾驶.chief)],
      ['judge', await cookieOf('judge', DEMO_JUDGE_CODES.无人机驾驶.judges[0])],
      ['visitor', null],
    ];
    let answered = 0;
    const found: string[] = [];
    for (const path of paths) {
      const urls = /\{[^}]+\}/.test(path) ? [1, 2, 3, 4].map((id) => path.replace(/\{[^}]+\}/g, String(id))) : [path];
      for (const url of urls)
        for (const [role, cookie] of callers) {
          const res = await app.inject({ method: 'GET', url: `/api${url.replace(/^\/api/, '')}`, headers: cookie ? { cookie } : {} });
          if (res.statusCode >= 200 && res.statusCode < 300) answered++;
          const why = rebuilds(res.body);
          if (why) found.push(`${role} GET ${url}: ${why}`);
        }
    }
    // Enough answers to mean something (the walk really reached data).
    expect(answered).toBeGreaterThan(100);
    expect(found).toEqual([]);
  }, 120_000);
});
