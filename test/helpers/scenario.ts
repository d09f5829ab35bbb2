import { competitions, entries, events, judgeAssignments, judges, people, roundEntries, rounds } from '../../db/schema.ts';
import type { SchemeInput } from '../../server/contracts/scheme.ts';
import { schemeSchema } from '../../server/contracts/scheme.ts';
import { tokenHash } from '../../server/security.ts';
import { makeOrg, makeResidentId } from './factories.ts';
import { sessionCookie, type TestApp } from './test-app.ts';

/** A valid resident ID number: area 340123, the given birth date, sequence `seq`. */
export function residentId(seq: number, birth = '19900307'): string {
  return makeResidentId({ birth, sequence: seq % 1000 });
}

/** Theory 30 % (objective, out of 100) + one practical task 70 % marked by a panel on two criteria. */
export const SIMPLE_SCHEME: SchemeInput = {
  totaling: 'weighted',
  parts: [
    { id: 'theory', name: '理论知识考试', role: 'theory', weight: 30, max: 100, marking: 'objective' },
    {
      id: 'task1',
      name: '技能操作',
      role: 'practical',
      weight: 70,
      max: 100,
      marking: 'rubric',
      criteria: [
        { id: 'c1', name: '操作规范', max: 60, step: 0.5 },
        { id: 'c2', name: '完成质量', max: 40, step: 0.5 },
      ],
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      minMarks: 3,
      expectedMarks: 5,
    },
  ],
};

export type Scenario = {
  orgId: number;
  competitionId: number;
  eventId: number;
  roundId: number;
  entryIds: number[];
  employerIds: number[];
  judgeIds: number[];
  chiefId: number;
  judgeCodes: string[];
  chiefCode: string;
};

/**
 * A running competition with one event, `entrants` checked-in entries numbered 1..n (two
 * employers alternating), `judgeCount` panel judges with no employer plus a chief judge,
 * and sign-in codes for all of them. Written straight to the database: this is set-up,
 * the routes that create these records have tests of their own.
 */
export function makeScenario(app: TestApp, opts: { entrants?: number; judgeCount?: number; scheme?: SchemeInput } = {}): Scenario {
  const entrants = opts.entrants ?? 6;
  const judgeCount = opts.judgeCount ?? 5;
  const county = makeOrg(app, { name: '肥西县总工会', kind: 'union', level: 'county' });
  const employers = [
    makeOrg(app, { name: '国网肥西供电公司', kind: 'employer', level: 'enterprise', parentId: county.id }),
    makeOrg(app, { name: '肥西消防救援大队', kind: 'employer', level: 'enterprise', parentId: county.id }),
  ];
  const db = app.db;
  const comp = db
    .insert(competitions)
    .values({ orgId: county.id, name: '肥西县职工技能大赛', grade: 'B', year: 2026, organisers: ['肥西县总工会'], hosts: [], status: 'running', endDate: '2099-12-31' })
    .returning()
    .get();
  const scheme = schemeSchema.parse(opts.scheme ?? SIMPLE_SCHEME);
  const event = db
    .insert(events)
    .values({ competitionId: comp.id, name: '电工', occupationCode: '6-31-01-03', occupationName: '电工', scheme, minEntrants: 1 })
    .returning()
    .get();
  const round = db.insert(rounds).values({ eventId: event.id, seq: 1, name: '决赛', kind: 'final' }).returning().get();
  const entryIds: number[] = [];
  // A birth day per event, so several scenarios in one database never share an ID number.
  const birthDay = `1985${String(1 + (event.id % 12)).padStart(2, '0')}${String(1 + (Math.floor(event.id / 12) % 28)).padStart(2, '0')}`;
  for (let i = 1; i <= entrants; i++) {
    const person = db
      .insert(people)
      .values({
        orgId: county.id,
        employerId: employers[i % 2]!.id,
        name: `选手${i}`,
        idNumber: residentId(event.id * 10000 + i, birthDay),
        gender: 'male',
        birthDate: `${birthDay.slice(0, 4)}-${birthDay.slice(4, 6)}-${birthDay.slice(6)}`,
      })
      .returning()
      .get();
    const entry = db
      .insert(entries)
      .values({ eventId: event.id, personId: person.id, delegationId: employers[i % 2]!.id, status: 'checked_in', drawnNumber: i })
      .returning()
      .get();
    db.insert(roundEntries).values({ roundId: round.id, entryId: entry.id }).run();
    entryIds.push(entry.id);
  }
  const expires = new Date('2099-12-31T15:59:59Z');
  const makeJudge = (name: string, role: 'chief' | 'judge', code: string) => {
    const id = db
      .insert(judges)
      .values({ competitionId: comp.id, name, codeHash: tokenHash(app.sessionSecret, code), codeNumber: 1, codeIssuedAt: app.clock.now(), codeExpiresAt: expires })
      .returning()
      .get().id;
    db.insert(judgeAssignments).values({ judgeId: id, eventId: event.id, role }).run();
    return id;
  };
  const tag = String(event.id).padStart(3, '0');
  const judgeCodes = Array.from({ length: judgeCount }, (_, i) => `J${tag}X${String(i + 1).padStart(3, '0')}`.slice(0, 8).padEnd(8, 'Z'));
  const judgeIds = judgeCodes.map((code, i) => makeJudge(`裁判${i + 1}`, 'judge', code));
  const chiefCode = `C${tag}CHIEF`.slice(0, 8).padEnd(8, 'Z');
  const chiefId = makeJudge('裁判长', 'chief', chiefCode);
  return {
    orgId: county.id,
    competitionId: comp.id,
    eventId: event.id,
    roundId: round.id,
    entryIds,
    employerIds: employers.map((e) => e.id),
    judgeIds,
    chiefId,
    judgeCodes,
    chiefCode,
  };
}

/** Signs a judge in with their code through the real route; returns the cookie. */
export async function judgeLogin(app: TestApp, code: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code } });
  return sessionCookie(res);
}

let keySeq = 0;
/** A fresh idempotency key, as a tablet would generate. */
export const newKey = () => `key-${Date.now().toString(36)}-${++keySeq}`;

/** Draws the results check and confirms every selected result, as the chief judge must before release. */
export async function completeRecheck(app: TestApp, chiefCookie: string, eventId: number): Promise<void> {
  const drawn = await app.inject({ method: 'POST', url: `/api/events/${eventId}/rechecks/draw`, headers: { cookie: chiefCookie } });
  if (drawn.statusCode !== 200) throw new Error(`recheck draw: ${drawn.statusCode} ${drawn.body}`);
  for (const item of drawn.json().items as { id: number }[]) {
    const res = await app.inject({ method: 'POST', url: `/api/rechecks/${item.id}/check`, headers: { cookie: chiefCookie }, payload: {} });
    if (res.statusCode !== 200) throw new Error(`recheck check: ${res.statusCode} ${res.body}`);
  }
}

/** Drawn numbers still ranked provisionally (marks missing) in the event's current round, as the chief judge sees them. */
export async function incompleteNumbers(app: TestApp, cookie: string, eventId: number): Promise<number[]> {
  const res = await app.inject({ method: 'GET', url: `/api/events/${eventId}/ranking`, headers: { cookie } });
  if (res.statusCode !== 200) throw new Error(`ranking: ${res.statusCode} ${res.body}`);
  return (res.json().rows as { number: number | null; provisional: boolean }[]).filter((r) => r.provisional && r.number != null).map((r) => r.number!);
}

/** The release body giving `reason` for every entry still incomplete (release is refused without one per entry). */
export async function reasonsForIncomplete(app: TestApp, cookie: string, eventId: number, reason = '测试：评分未完成') {
  return { incompleteReasons: (await incompleteNumbers(app, cookie, eventId)).map((number) => ({ number, reason })) };
}
