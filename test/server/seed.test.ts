import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { migrateDb } from '../../db/migrate.ts';
import { competitions, events, marks, people } from '../../db/schema.ts';
import { DEMO_ACCOUNTS, DEMO_JUDGE_CODES, DEMO_PASSWORD, seedDemoData } from '../../db/seed.ts';
import { criteriaOf, schemeSchema } from '../../server/contracts/scheme.ts';
import { syncCompetitionStatus } from '../../server/features/competitions/competition-status.ts';
import { parseResidentId } from '../../server/domain/resident-id.ts';
import { judgeLogin } from '../helpers/scenario.ts';
import { buildTestApp, call, sessionCookie, type TestApp } from '../helpers/test-app.ts';

const SECRET = 'test-secret-test-secret-test-secret-0123';
const TABLES = ['organisations', 'accounts', 'people', 'competitions', 'events', 'rounds', 'entries', 'round_entries', 'judges', 'marks', 'audit_log'];

let app: TestApp;

/** The event a judge code belongs to, learnt through the sign-in route. */
async function eventOfCode(code: string): Promise<number> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code } });
  expect(res.statusCode).toBe(200);
  return res.json().eventId as number;
}

function tableCounts(): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((t) => [t, (app.db.$client.prepare(`select count(*) as c from ${t}`).get() as { c: number }).c]),
  );
}

beforeAll(async () => {
  app = await buildTestApp({ demo: true, sessionSecret: SECRET });
});
afterAll(() => app.close());

describe('demo data set', () => {
  it('seeds an empty database with every demo event', async () => {
    const db = openDb(':memory:');
    migrateDb(db);
    await seedDemoData(db, { secret: SECRET, now: new Date() });
    expect(db.select().from(events).all()).toHaveLength(5);
    db.$client.close();
  });

  it('lets every demo account sign in with the documented password', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.username, password: DEMO_PASSWORD } });
      expect(res.statusCode, account.username).toBe(200);
      expect(res.json()).toMatchObject({ kind: 'staff', username: account.username, role: account.role });
    }
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'wrong' } });
    expect(wrong.statusCode).toBe(401);
  });

  it('scopes the accounts: Feixi people are registered by the county union; its peer, the county HR bureau, reaches them by region', async () => {
    const seen: Record<string, number> = {};
    for (const username of ['admin', 'organiser', 'hr', 'viewer']) {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      const res = await call(app, sessionCookie(login), { method: 'GET', url: '/api/people?pageSize=500' });
      expect(res.statusCode, username).toBe(200);
      seen[username] = res.json().total as number;
    }
    expect(seen).toEqual({ admin: 72, organiser: 42, hr: 42, viewer: 42 });
  });

  it('lets every documented judge code sign in to its event', async () => {
    for (const [eventName, codes] of Object.entries(DEMO_JUDGE_CODES)) {
      for (const code of [codes.chief, ...codes.judges]) {
        const res = await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code } });
        expect(res.statusCode, code).toBe(200);
        const eventId = res.json().eventId as number;
        const event = app.db.select().from(events).all().find((e) => e.id === eventId)!;
        expect(event.name).toBe(eventName);
        expect(res.json().role).toBe(code === codes.chief ? 'chief' : 'judge');
      }
    }
  });

  it('shows a drone judge the contestants by number only, one absent, some already marked', async () => {
    const cookie = await judgeLogin(app, DEMO_JUDGE_CODES.无人机驾驶.judges[0]);
    const res = await call(app, cookie, { method: 'GET', url: '/api/judge/entries' });
    expect(res.statusCode).toBe(200);
    const rows = res.json() as { number: number; status: string; state: string; name?: string }[];
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(rows.filter((r) => r.status === 'absent')).toHaveLength(1);
    expect(rows.some((r) => 'name' in r)).toBe(false);
    expect(rows.filter((r) => r.state === 'submitted').length).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => r.state === 'not_started').length).toBeGreaterThanOrEqual(3);
  });

  it('recuses the judge who shares an employer with a contestant, and takes new marks from the others', async () => {
    const recused = await judgeLogin(app, DEMO_JUDGE_CODES.无人机驾驶.judges[4]);
    const refused = await call(app, recused, {
      method: 'POST',
      url: '/api/marks',
      payload: { marks: [{ idempotencyKey: 'seed-test-recused', number: 12, partId: 'flight', criterionId: 'fl_safety', value: 12 }] },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('recused');

    const judge = await judgeLogin(app, DEMO_JUDGE_CODES.无人机驾驶.judges[0]);
    const stored = await call(app, judge, {
      method: 'POST',
      url: '/api/marks',
      payload: { marks: [{ idempotencyKey: 'seed-test-ok', number: 10, partId: 'flight', criterionId: 'fl_safety', value: 12.5 }] },
    });
    expect(stored.statusCode).toBe(200);
  });

  it('ranks the power contest live: 30 contestants, 10 delegations of 3, provisional while task 2 is marked', async () => {
    const eventId = await eventOfCode(DEMO_JUDGE_CODES.配电线路工.chief);
    const res = await app.inject({ method: 'GET', url: `/api/public/events/${eventId}/ranking` });
    expect(res.statusCode).toBe(200);
    const ranking = res.json();
    expect(ranking.released).toBe(false);
    expect(ranking.rows).toHaveLength(30);
    const rows = ranking.rows as { rank: number | null; provisional: boolean; total: number; delegation: string; name?: string }[];
    expect(rows.every((r) => r.total > 0 && r.rank !== null)).toBe(true);
    expect(rows.filter((r) => r.provisional)).toHaveLength(12);
    expect(rows.some((r) => 'name' in r)).toBe(false);

    const perDelegation = new Map<string, number>();
    for (const r of rows) perDelegation.set(r.delegation, (perDelegation.get(r.delegation) ?? 0) + 1);
    expect(perDelegation.size).toBe(10);
    expect([...perDelegation.values()].every((n) => n === 3)).toBe(true);
    expect(ranking.teams).toHaveLength(10);

    // Two complete entries were given identical marks: completion time splits them.
    const staff = await call(app, await judgeLogin(app, DEMO_JUDGE_CODES.配电线路工.chief), { method: 'GET', url: `/api/events/${eventId}/ranking` });
    expect(staff.statusCode).toBe(200);
    const tieBroken = (staff.json().staffRows as { tieBrokenBy: string | null; provisional: boolean }[]).filter((r) => r.tieBrokenBy);
    expect(tieBroken).toEqual([expect.objectContaining({ tieBrokenBy: 'completion_time', provisional: false })]);
  });

  it('gives every demo competition the status its events give it (as if the app had moved it there)', () => {
    for (const c of app.db.select().from(competitions).all()) {
      if (c.status === 'draft' || c.status === 'registration') continue; // set by the organiser, not by events
      // Asked inside a transaction that is rolled back: the check changes nothing.
      let derived: string | undefined;
      try {
        app.db.transaction((tx) => {
          derived = syncCompetitionStatus(tx, 'system', c.id);
          tx.rollback();
        });
      } catch {
        // the rollback
      }
      expect(derived, c.name).toBe(c.status);
    }
  });

  it('publishes last month’s electrician and last year’s welding competitions with names and masked ID numbers', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/public/results' });
    expect(res.statusCode).toBe(200);
    const list = res.json() as { id: number; name: string; status: string }[];
    expect(list).toHaveLength(2);
    // Their publicity periods are over: final, as the events say (成绩确定).
    expect(list.every((c) => c.status === 'final')).toBe(true);
    const welding = list.find((c) => c.name.endsWith(DEMO_JUDGE_CODES.焊工.competition))!;
    expect(list.some((c) => c.name.endsWith(DEMO_JUDGE_CODES.电工.competition))).toBe(true);

    const results = await app.inject({ method: 'GET', url: `/api/public/competitions/${welding.id}/results` });
    expect(results.statusCode).toBe(200);
    const [event] = results.json().events as { rows: { rank: number; provisional: boolean; name: string; idNumberMasked: string }[] }[];
    expect(event!.rows).toHaveLength(8);
    expect(event!.rows.every((r) => r.rank !== null && !r.provisional && r.name.length >= 2)).toBe(true);
    expect(event!.rows.every((r) => /^\d{6}\*{8}\d{3}[\dX]$/.test(r.idNumberMasked))).toBe(true);
  });

  it('gives every person a valid resident ID number matching their birth date and gender', () => {
    const all = app.db.select().from(people).all();
    expect(all).toHaveLength(72);
    for (const p of all) {
      const parsed = parseResidentId(p.idNumber);
      expect(parsed.ok, p.idNumber).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.value.birthDate).toBe(p.birthDate);
      expect(parsed.value.gender).toBe(p.gender);
      expect(Number(p.birthDate.slice(0, 4))).toBeGreaterThanOrEqual(1970);
      expect(Number(p.birthDate.slice(0, 4))).toBeLessThanOrEqual(2000);
      expect(p.phone).toMatch(/^1\d{10}$/);
      expect(p.occupationCode).toMatch(/^\d-\d{2}-\d{2}-\d{2}$/);
    }
  });

  it('stores every seeded mark on its criterion step and within its maximum', () => {
    const schemes = new Map(app.db.select().from(events).all().map((e) => [e.id, schemeSchema.parse(e.scheme)]));
    const eventOfEntry = new Map(
      (app.db.$client.prepare('select id, event_id from entries').all() as { id: number; event_id: number }[]).map((r) => [r.id, r.event_id]),
    );
    const seeded = app.db.select().from(marks).all().filter((m) => m.idempotencyKey?.startsWith('seed-') && m.device === 'demo-seed');
    expect(seeded.length).toBeGreaterThan(1000);
    for (const m of seeded) {
      const part = schemes.get(eventOfEntry.get(m.entryId)!)!.parts.find((p) => p.id === m.partId)!;
      const criterion = criteriaOf(part).find((c) => c.id === m.criterionId)!;
      expect(m.value).toBeGreaterThanOrEqual(0);
      expect(m.value).toBeLessThanOrEqual(criterion.max);
      expect(Math.abs(m.value / criterion.step - Math.round(m.value / criterion.step))).toBeLessThan(1e-7);
    }
  });

  it('adds nothing when seeding a database that already has data', async () => {
    const before = tableCounts();
    await seedDemoData(app.db, { secret: SECRET, now: app.clock.now() });
    expect(tableCounts()).toEqual(before);
  });

  it('records the seeding in the audit log', () => {
    const rows = app.db.$client.prepare(`select actor_kind from audit_log where action = 'demo.seed'`).all();
    expect(rows).toEqual([{ actor_kind: 'system' }]);
  });
});
