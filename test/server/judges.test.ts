import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, judges, marks, sessions } from '../../db/schema.ts';
import { codeExpiry } from '../../server/features/judges/judge-codes.service.ts';
import { tokenHash } from '../../server/security.ts';
import { loginAs, makeCompetition, makeEntry, makeEvent, makeJudge, makeOrg } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, sessionCookie, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let admin: string;
let organiser: string;
let viewer: string;
let countyAdmin: string;

beforeAll(async () => {
  // Many judges sign in here; the per-minute sign-in limit is not what this suite tests.
  app = await buildTestApp();
  rootOrg(app);
  admin = await loginAs(app, 'admin');
  organiser = await loginAs(app, 'organiser');
  viewer = await loginAs(app, 'viewer');
  countyAdmin = await loginAs(app, 'admin', makeOrg(app, { name: '长丰县总工会' }).id);
});
afterAll(() => app.close());

let codeSeq = 0;
/** A fresh valid 8-character code for judges set up directly in the database. */
function freshCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  let n = ++codeSeq;
  let suffix = '';
  for (let i = 0; i < 4; i++, n = Math.floor(n / alphabet.length)) suffix += alphabet[n % alphabet.length];
  return `TEST${suffix}`;
}

function judgeLogin(code: string) {
  return app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code } });
}

/** An event whose competition ends far in the future, with a signed-in chief judge. */
async function eventWithChief() {
  const event = makeEvent(app, { competitionId: makeCompetition(app, { endDate: '2099-06-30' }).id });
  const code = freshCode();
  const chief = makeJudge(app, event.id, { role: 'chief', code });
  const chiefCookie = sessionCookie(await judgeLogin(code));
  return { event, chief, chiefCookie };
}

const me = (cookie: string) => call(app, cookie, { method: 'GET', url: '/api/auth/me' });

describe('POST /api/events/:id/judges', () => {
  it('adds a judge with an employer, audited', async () => {
    const event = makeEvent(app);
    const employer = makeOrg(app, { name: '国网肥西县供电公司', kind: 'employer' });
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/judges`, payload: { name: '孙立', employerId: employer.id } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ eventId: event.id, name: '孙立', role: 'judge', employerName: '国网肥西县供电公司', hasCode: false, codeExpiresAt: null });
    const audit = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'judge.create'), eq(auditLog.entityId, res.json().id))).get();
    expect(audit?.after).toMatchObject({ name: '孙立' });
  });

  it('allows only one chief judge per event', async () => {
    const event = makeEvent(app);
    expect((await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/judges`, payload: { name: '甲', role: 'chief' } })).statusCode).toBe(201);
    const second = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/judges`, payload: { name: '乙', role: 'chief' } });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('chief_exists');
  });

  it('names a bad role and an unknown employer', async () => {
    const event = makeEvent(app);
    const role = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/judges`, payload: { name: '丙', role: 'boss' } });
    expect(role.statusCode).toBe(400);
    expect(role.json().errors[0].field).toBe('body.role');
    const employer = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/judges`, payload: { name: '丙', employerId: 999999 } });
    expect(employer.statusCode).toBe(400);
    expect(employer.json().errors[0].field).toBe('body.employerId');
  });

  it('refuses a viewer, anyone signed out, staff outside the subtree and the chief judge', async () => {
    const { event, chiefCookie } = await eventWithChief();
    const url = `/api/events/${event.id}/judges`;
    const payload = { name: '丁' };
    expect((await call(app, viewer, { method: 'POST', url, payload })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url, payload })).statusCode).toBe(401);
    expect((await call(app, countyAdmin, { method: 'POST', url, payload })).statusCode).toBe(403);
    expect((await call(app, chiefCookie, { method: 'POST', url, payload })).statusCode).toBe(403);
  });
});

describe('GET /api/events/:id/judges and /api/judges/:id', () => {
  it('shows the panel to staff in scope and to the event’s chief judge, never the code hash', async () => {
    const { event, chief, chiefCookie } = await eventWithChief();
    const judge = makeJudge(app, event.id);
    const staffView = await call(app, viewer, { method: 'GET', url: `/api/events/${event.id}/judges` });
    expect(staffView.statusCode).toBe(200);
    expect(staffView.json().map((j: { id: number }) => j.id)).toEqual([chief.id, judge.id]);
    expect(staffView.json()[0]).toMatchObject({ role: 'chief', hasCode: true });
    expect(staffView.body).not.toContain('codeHash');
    const chiefView = await call(app, chiefCookie, { method: 'GET', url: `/api/events/${event.id}/judges` });
    expect(chiefView.json()).toHaveLength(2);
    const one = await call(app, chiefCookie, { method: 'GET', url: `/api/judges/${judge.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: judge.id, role: 'judge', hasCode: false });
  });

  it('names a bad id', async () => {
    expect((await call(app, viewer, { method: 'GET', url: '/api/events/x/judges' })).json().errors[0].field).toBe('params.id');
    expect((await call(app, viewer, { method: 'GET', url: '/api/judges/x' })).json().errors[0].field).toBe('params.id');
  });

  it('refuses an ordinary judge, another event’s chief, anyone signed out and staff outside the subtree', async () => {
    const { event } = await eventWithChief();
    const other = await eventWithChief();
    const code = freshCode();
    const judge = makeJudge(app, event.id, { code });
    const judgeCookie = sessionCookie(await judgeLogin(code));
    const url = `/api/events/${event.id}/judges`;
    expect((await call(app, judgeCookie, { method: 'GET', url })).statusCode).toBe(403);
    expect((await call(app, other.chiefCookie, { method: 'GET', url })).statusCode).toBe(403);
    expect((await call(app, other.chiefCookie, { method: 'GET', url: `/api/judges/${judge.id}` })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url })).statusCode).toBe(401);
    expect((await call(app, countyAdmin, { method: 'GET', url: `/api/judges/${judge.id}` })).statusCode).toBe(403);
  });
});

describe('PATCH /api/judges/:id', () => {
  it('renames a judge and keeps the role', async () => {
    const event = makeEvent(app);
    const judge = makeJudge(app, event.id, { role: 'supervisor' });
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/judges/${judge.id}`, payload: { name: '周监督' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '周监督', role: 'supervisor' });
  });

  it('refuses a second chief and an empty name', async () => {
    const event = makeEvent(app);
    makeJudge(app, event.id, { role: 'chief' });
    const judge = makeJudge(app, event.id);
    const chief = await call(app, organiser, { method: 'PATCH', url: `/api/judges/${judge.id}`, payload: { role: 'chief' } });
    expect(chief.statusCode).toBe(409);
    expect(chief.json().code).toBe('chief_exists');
    const empty = await call(app, organiser, { method: 'PATCH', url: `/api/judges/${judge.id}`, payload: { name: ' ' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('body.name');
  });

  it('refuses a viewer and anyone signed out', async () => {
    const judge = makeJudge(app, makeEvent(app).id);
    expect((await call(app, viewer, { method: 'PATCH', url: `/api/judges/${judge.id}`, payload: { name: 'x' } })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'PATCH', url: `/api/judges/${judge.id}`, payload: { name: 'x' } })).statusCode).toBe(401);
  });
});

describe('DELETE /api/judges/:id', () => {
  it('removes a judge who has not marked, ending their sessions', async () => {
    const event = makeEvent(app);
    const code = freshCode();
    const judge = makeJudge(app, event.id, { code });
    const cookie = sessionCookie(await judgeLogin(code));
    const res = await call(app, organiser, { method: 'DELETE', url: `/api/judges/${judge.id}` });
    expect(res.statusCode).toBe(200);
    expect(app.db.select().from(judges).where(eq(judges.id, judge.id)).get()).toBeUndefined();
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('refuses to remove a judge who has marked', async () => {
    const event = makeEvent(app);
    const judge = makeJudge(app, event.id);
    const entry = makeEntry(app, event);
    app.db
      .insert(marks)
      .values({ roundId: event.round.id, entryId: entry.id, judgeId: judge.id, partId: 'theory', criterionId: 'theory', version: 1, value: 88, enteredAt: new Date() })
      .run();
    const res = await call(app, organiser, { method: 'DELETE', url: `/api/judges/${judge.id}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('marks_exist');
  });

  it('names a bad id and refuses a viewer', async () => {
    expect((await call(app, organiser, { method: 'DELETE', url: '/api/judges/0' })).json().errors[0].field).toBe('params.id');
    const judge = makeJudge(app, makeEvent(app).id);
    expect((await call(app, viewer, { method: 'DELETE', url: `/api/judges/${judge.id}` })).statusCode).toBe(403);
  });
});

describe('judge sign-in codes', () => {
  it('lets the chief judge issue a code that signs the judge in, valid to the end of the last day in China time', async () => {
    const { event, chiefCookie } = await eventWithChief();
    const judge = makeJudge(app, event.id);
    const res = await call(app, chiefCookie, { method: 'POST', url: `/api/judges/${judge.id}/code` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { code, link, expiresAt } = res.json();
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(link).toBe(`/judge?code=${code}`);
    expect(expiresAt).toBe('2099-06-30T15:59:59.000Z');

    const stored = app.db.select().from(judges).where(eq(judges.id, judge.id)).get()!;
    expect(stored.codeHash).toBe(tokenHash(app.sessionSecret, code));
    const audits = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'judge.code_issue'), eq(auditLog.entityId, judge.id))).all();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actorKind).toBe('judge');
    expect(JSON.stringify(audits[0])).not.toContain(code);
    expect(JSON.stringify(audits[0])).not.toContain(stored.codeHash);

    const login = await judgeLogin(code);
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ kind: 'judge', judgeId: judge.id, eventId: event.id });
    expect((await me(sessionCookie(login))).json().judgeId).toBe(judge.id);
  });

  it('replaces the old code on reissue and signs the judge out', async () => {
    const { event } = await eventWithChief();
    const judge = makeJudge(app, event.id);
    const first = (await call(app, organiser, { method: 'POST', url: `/api/judges/${judge.id}/code` })).json().code;
    const cookie = sessionCookie(await judgeLogin(first));
    const second = await call(app, organiser, { method: 'POST', url: `/api/judges/${judge.id}/code` });
    expect(second.statusCode).toBe(200);
    expect(second.json().code).not.toBe(first);
    expect((await judgeLogin(first)).statusCode).toBe(401);
    expect((await me(cookie)).statusCode).toBe(401);
    expect((await judgeLogin(second.json().code)).statusCode).toBe(200);
  });

  it('revoking makes the code fail and ends the judge’s session', async () => {
    const { event, chiefCookie } = await eventWithChief();
    const judge = makeJudge(app, event.id);
    const code = (await call(app, chiefCookie, { method: 'POST', url: `/api/judges/${judge.id}/code` })).json().code;
    const cookie = sessionCookie(await judgeLogin(code));
    expect((await me(cookie)).statusCode).toBe(200);

    const res = await call(app, chiefCookie, { method: 'DELETE', url: `/api/judges/${judge.id}/code` });
    expect(res.statusCode).toBe(200);
    const login = await judgeLogin(code);
    expect(login.statusCode).toBe(401);
    expect(login.json().code).toBe('invalid_judge_code');
    expect((await me(cookie)).statusCode).toBe(401);
    expect(app.db.select().from(sessions).where(eq(sessions.judgeId, judge.id)).all()).toEqual([]);
    expect(app.db.select().from(judges).where(eq(judges.id, judge.id)).get()!.codeHash).toBeNull();
    expect(app.db.select().from(auditLog).where(and(eq(auditLog.action, 'judge.code_revoke'), eq(auditLog.entityId, judge.id))).all()).toHaveLength(1);
  });

  it('refuses an expired code', async () => {
    const { event } = await eventWithChief();
    const judge = makeJudge(app, event.id);
    const code = (await call(app, organiser, { method: 'POST', url: `/api/judges/${judge.id}/code` })).json().code;
    app.db.update(judges).set({ codeExpiresAt: new Date(Date.now() - 1000) }).where(eq(judges.id, judge.id)).run();
    expect((await judgeLogin(code)).statusCode).toBe(401);
  });

  it('gives a week when the competition has no end date, and refuses once it has ended', async () => {
    const now = new Date('2024-05-01T00:00:00Z');
    expect(codeExpiry(null, now).toISOString()).toBe('2024-05-08T00:00:00.000Z');
    const ended = makeEvent(app, { competitionId: makeCompetition(app, { endDate: '2020-01-01' }).id });
    const judge = makeJudge(app, ended.id);
    const res = await call(app, organiser, { method: 'POST', url: `/api/judges/${judge.id}/code` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('competition_ended');
  });

  it('refuses a chief judge issuing their own code, ordinary judges, other events’ chiefs, viewers and anyone signed out', async () => {
    const { event, chief, chiefCookie } = await eventWithChief();
    const other = await eventWithChief();
    const code = freshCode();
    const judge = makeJudge(app, event.id, { code });
    const judgeCookie = sessionCookie(await judgeLogin(code));
    const url = `/api/judges/${judge.id}/code`;
    expect((await call(app, chiefCookie, { method: 'POST', url: `/api/judges/${chief.id}/code` })).statusCode).toBe(403);
    expect((await call(app, judgeCookie, { method: 'POST', url })).statusCode).toBe(403);
    expect((await call(app, other.chiefCookie, { method: 'POST', url })).statusCode).toBe(403);
    expect((await call(app, viewer, { method: 'POST', url })).statusCode).toBe(403);
    expect((await call(app, countyAdmin, { method: 'POST', url })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url })).statusCode).toBe(401);
    expect((await call(app, judgeCookie, { method: 'DELETE', url })).statusCode).toBe(403);
    expect((await call(app, viewer, { method: 'DELETE', url })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'DELETE', url })).statusCode).toBe(401);
    // None of the refused calls touched the code.
    expect((await me(judgeCookie)).statusCode).toBe(200);
  });

  it('names a bad judge id and answers 404 for an unknown one', async () => {
    expect((await call(app, admin, { method: 'POST', url: '/api/judges/abc/code' })).json().errors[0].field).toBe('params.id');
    expect((await call(app, admin, { method: 'DELETE', url: '/api/judges/abc/code' })).json().errors[0].field).toBe('params.id');
    expect((await call(app, admin, { method: 'POST', url: '/api/judges/999999/code' })).statusCode).toBe(404);
  });
});
