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
    expect(one.json()).toMatchObject({ id: judge.id, hasCode: false, events: [{ eventId: event.id, role: 'judge' }] });
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

describe('PATCH /api/judges/:id and /api/events/:id/judges/:judgeId', () => {
  it('renames a judge and keeps their role in the event', async () => {
    const event = makeEvent(app);
    const judge = makeJudge(app, event.id, { role: 'supervisor' });
    const res = await call(app, organiser, { method: 'PATCH', url: `/api/judges/${judge.id}`, payload: { name: '周监督' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '周监督', events: [{ eventId: event.id, role: 'supervisor' }] });
  });

  it('changes the role per event, refusing a second chief and an empty name', async () => {
    const event = makeEvent(app);
    makeJudge(app, event.id, { role: 'chief' });
    const judge = makeJudge(app, event.id);
    const chief = await call(app, organiser, { method: 'PATCH', url: `/api/events/${event.id}/judges/${judge.id}`, payload: { role: 'chief' } });
    expect(chief.statusCode).toBe(409);
    expect(chief.json().code).toBe('chief_exists');
    const supervisor = await call(app, organiser, { method: 'PATCH', url: `/api/events/${event.id}/judges/${judge.id}`, payload: { role: 'supervisor' } });
    expect(supervisor.statusCode).toBe(200);
    expect(supervisor.json()).toMatchObject({ id: judge.id, eventId: event.id, role: 'supervisor' });
    const badRole = await call(app, organiser, { method: 'PATCH', url: `/api/events/${event.id}/judges/${judge.id}`, payload: { role: 'boss' } });
    expect(badRole.json().errors[0].field).toBe('body.role');
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
    expect(link).toBe(`/judge#code=${code}`);
    expect(expiresAt).toBe('2099-06-30T15:59:59.000Z');

    const stored = app.db.select().from(judges).where(eq(judges.id, judge.id)).get()!;
    expect(stored.codeHash).toBe(tokenHash(app.sessionSecret, code));
    const audits = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'judge.code_issue'), eq(auditLog.entityId, judge.id))).all();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actorKind).toBe('judge');
    expect(audits[0]!.after).toMatchObject({ reissue: false, issuedBy: 'chief_judge' });
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
    const reissued = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'judge.code_issue'), eq(auditLog.entityId, judge.id))).all().at(-1)!;
    expect(reissued.after).toMatchObject({ reissue: true, issuedBy: 'organiser' });
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

describe('judges of the competition: one person, one code, several events', () => {
  it('adds a judge to the competition and seats them on two events, one chief per event', async () => {
    const competition = makeCompetition(app, { endDate: '2099-06-30' });
    const a = makeEvent(app, { competitionId: competition.id, name: '无人机驾驶' });
    const b = makeEvent(app, { competitionId: competition.id, name: '消防救援' });
    const employer = makeOrg(app, { name: '肥西县职业技术学校', kind: 'employer' });
    const res = await call(app, organiser, {
      method: 'POST',
      url: `/api/competitions/${competition.id}/judges`,
      payload: { name: '裴光明', employerId: employer.id, events: [{ eventId: a.id, role: 'chief' }, { eventId: b.id, role: 'judge' }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      competitionId: competition.id,
      name: '裴光明',
      employerName: '肥西县职业技术学校',
      events: [
        { eventId: a.id, eventName: '无人机驾驶', role: 'chief' },
        { eventId: b.id, eventName: '消防救援', role: 'judge' },
      ],
    });
    // Each event's panel shows them with their role there.
    const panelA = (await call(app, organiser, { method: 'GET', url: `/api/events/${a.id}/judges` })).json();
    const panelB = (await call(app, organiser, { method: 'GET', url: `/api/events/${b.id}/judges` })).json();
    expect(panelA).toEqual([expect.objectContaining({ id: res.json().id, role: 'chief', eventId: a.id })]);
    expect(panelB).toEqual([expect.objectContaining({ id: res.json().id, role: 'judge', eventId: b.id })]);
    // The competition's list has the person once.
    const list = (await call(app, viewer, { method: 'GET', url: `/api/competitions/${competition.id}/judges` })).json();
    expect(list).toHaveLength(1);
    expect(list[0].events).toHaveLength(2);

    const second = await call(app, organiser, {
      method: 'POST',
      url: `/api/competitions/${competition.id}/judges`,
      payload: { name: '柏志远', events: [{ eventId: a.id, role: 'chief' }] },
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('chief_exists');
    const foreign = await call(app, organiser, {
      method: 'POST',
      url: `/api/competitions/${competition.id}/judges`,
      payload: { name: '柏志远', events: [{ eventId: makeEvent(app).id, role: 'judge' }] },
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0].field).toBe('body.events.0.eventId');
  });

  it('puts an existing judge of the competition on another event, never one of another competition', async () => {
    const competition = makeCompetition(app);
    const a = makeEvent(app, { competitionId: competition.id });
    const b = makeEvent(app, { competitionId: competition.id });
    const judge = makeJudge(app, a.id);
    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${b.id}/judges`, payload: { judgeId: judge.id, role: 'supervisor' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ id: judge.id, eventId: b.id, role: 'supervisor', events: [{ eventId: a.id, role: 'judge' }, { eventId: b.id, role: 'supervisor' }] });
    const again = await call(app, organiser, { method: 'POST', url: `/api/events/${b.id}/judges`, payload: { judgeId: judge.id } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_on_panel');
    const stranger = makeJudge(app, makeEvent(app).id);
    const other = await call(app, organiser, { method: 'POST', url: `/api/events/${b.id}/judges`, payload: { judgeId: stranger.id } });
    expect(other.statusCode).toBe(400);
    expect(other.json()).toMatchObject({ code: 'unknown_judge', errors: [{ field: 'body.judgeId' }] });
    const nameless = await call(app, organiser, { method: 'POST', url: `/api/events/${b.id}/judges`, payload: { role: 'judge' } });
    expect(nameless.statusCode).toBe(400);
    expect(nameless.json().errors[0].field).toBe('body.name');
  });

  it('signs in once to every event the judge sits on, each with its own role', async () => {
    const competition = makeCompetition(app, { endDate: '2099-06-30' });
    const a = makeEvent(app, { competitionId: competition.id });
    const b = makeEvent(app, { competitionId: competition.id });
    const code = freshCode();
    const judge = makeJudge(app, a.id, { role: 'chief', code });
    makeJudge(app, b.id, { judgeId: judge.id, role: 'judge' });
    const login = await judgeLogin(code);
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({
      kind: 'judge',
      judgeId: judge.id,
      competitionId: competition.id,
      eventId: a.id,
      role: 'chief',
      events: [
        { eventId: a.id, role: 'chief' },
        { eventId: b.id, role: 'judge' },
      ],
    });
    const cookie = sessionCookie(login);
    // Chief of one event, judge of the other: the panel list of the first only.
    expect((await call(app, cookie, { method: 'GET', url: `/api/events/${a.id}/judges` })).statusCode).toBe(200);
    expect((await call(app, cookie, { method: 'GET', url: `/api/events/${b.id}/judges` })).statusCode).toBe(403);
    expect((await call(app, cookie, { method: 'GET', url: `/api/events/${a.id}/progress` })).statusCode).toBe(200);
    expect((await call(app, cookie, { method: 'GET', url: `/api/events/${b.id}/progress` })).statusCode).toBe(403);
  });

  it('takes a judge off one event only while they have not marked there', async () => {
    const competition = makeCompetition(app);
    const a = makeEvent(app, { competitionId: competition.id });
    const b = makeEvent(app, { competitionId: competition.id });
    const judge = makeJudge(app, a.id);
    makeJudge(app, b.id, { judgeId: judge.id });
    const entry = makeEntry(app, a);
    app.db
      .insert(marks)
      .values({ roundId: a.round.id, entryId: entry.id, judgeId: judge.id, partId: 'practical', criterionId: 'safety', version: 1, value: 30, enteredAt: new Date() })
      .run();
    const refused = await call(app, organiser, { method: 'DELETE', url: `/api/events/${a.id}/judges/${judge.id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('marks_exist');
    const ok = await call(app, organiser, { method: 'DELETE', url: `/api/events/${b.id}/judges/${judge.id}` });
    expect(ok.statusCode).toBe(200);
    expect((await call(app, organiser, { method: 'GET', url: `/api/judges/${judge.id}` })).json().events.map((e: { eventId: number }) => e.eventId)).toEqual([a.id]);
    expect((await call(app, viewer, { method: 'DELETE', url: `/api/events/${a.id}/judges/${judge.id}` })).statusCode).toBe(403);
    expect((await call(app, organiser, { method: 'DELETE', url: `/api/events/${b.id}/judges/${judge.id}` })).statusCode).toBe(404);
  });
});

describe('judge codes in bulk, with printable slips', () => {
  it('issues every code of an event at once: one slip per judge with the expiry in Beijing time, each code signs in', async () => {
    const { event, chief } = await eventWithChief();
    const employer = makeOrg(app, { name: '合肥市消防救援支队', kind: 'employer' });
    const a = makeJudge(app, event.id, { name: '甲', employerId: employer.id });
    const b = makeJudge(app, event.id, { name: '乙', role: 'scorer' });
    const before = (await call(app, organiser, { method: 'POST', url: `/api/judges/${a.id}/code` })).json().code;
    const oldSession = sessionCookie(await judgeLogin(before));

    const res = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/judge-codes` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({ eventId: event.id, eventName: event.name });
    expect(body.slips.map((x: { judgeId: number }) => x.judgeId)).toEqual([chief.id, a.id, b.id]); // chief first, panel order
    const slipA = body.slips.find((x: { judgeId: number }) => x.judgeId === a.id);
    expect(slipA).toMatchObject({ name: '甲', employerName: '合肥市消防救援支队', expiresAt: '2099-06-30T15:59:59.000Z', expiresAtBeijing: '2099-06-30 23:59' });
    expect(slipA.events).toEqual([{ eventId: event.id, eventName: event.name, role: 'judge' }]);
    expect(slipA.link).toBe(`/judge#code=${slipA.code}`);
    expect(body.slips.find((x: { judgeId: number }) => x.judgeId === b.id).link).toMatch(/^\/scorer#code=/);
    expect(body.slips.find((x: { judgeId: number }) => x.judgeId === chief.id).link).toMatch(/^\/chief#code=/);
    expect(new Set(body.slips.map((x: { code: string }) => x.code)).size).toBe(3);
    for (const slip of body.slips) expect((await judgeLogin(slip.code)).statusCode).toBe(200);
    // The old code and its session are gone; only hashes are stored, each issue audited.
    expect((await judgeLogin(before)).statusCode).toBe(401);
    expect((await me(oldSession)).statusCode).toBe(401);
    expect(app.db.select().from(judges).where(eq(judges.id, a.id)).get()!.codeHash).toBe(tokenHash(app.sessionSecret, slipA.code));
    const audits = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'judge.code_issue'), eq(auditLog.entityId, a.id))).all();
    expect(audits).toHaveLength(2);
    expect(JSON.stringify(audits)).not.toContain(slipA.code);

    // Only the missing ones: nobody signed in is signed out.
    const cookieB = sessionCookie(await judgeLogin(body.slips.find((x: { judgeId: number }) => x.judgeId === b.id).code));
    const c = makeJudge(app, event.id, { name: '丙' });
    const missing = await call(app, organiser, { method: 'POST', url: `/api/events/${event.id}/judge-codes`, payload: { onlyMissing: true } });
    expect(missing.json().slips.map((x: { judgeId: number }) => x.judgeId)).toEqual([c.id]);
    expect((await me(cookieB)).statusCode).toBe(200);
  });

  it('lets the chief judge issue the panel’s codes, never their own; refuses others and names bad ids', async () => {
    const { event, chiefCookie } = await eventWithChief();
    const a = makeJudge(app, event.id);
    const res = await call(app, chiefCookie, { method: 'POST', url: `/api/events/${event.id}/judge-codes` });
    expect(res.statusCode, res.body).toBe(200);
    // The chief's own code is left alone: they stay signed in.
    expect(res.json().slips.map((x: { judgeId: number }) => x.judgeId)).toEqual([a.id]);
    expect((await me(chiefCookie)).statusCode).toBe(200);

    const other = await eventWithChief();
    const url = `/api/events/${event.id}/judge-codes`;
    expect((await call(app, other.chiefCookie, { method: 'POST', url })).statusCode).toBe(403);
    expect((await call(app, viewer, { method: 'POST', url })).statusCode).toBe(403);
    expect((await call(app, countyAdmin, { method: 'POST', url })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'POST', url })).statusCode).toBe(401);
    expect((await call(app, chiefCookie, { method: 'POST', url: `/api/competitions/${event.competitionId}/judge-codes` })).statusCode).toBe(403);
    const bad = await call(app, organiser, { method: 'POST', url, payload: { judgeIds: [999999] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'unknown_judge', errors: [{ field: 'body.judgeIds.0' }] });
    const ended = makeEvent(app, { competitionId: makeCompetition(app, { endDate: '2020-01-01' }).id });
    makeJudge(app, ended.id);
    const late = await call(app, organiser, { method: 'POST', url: `/api/events/${ended.id}/judge-codes` });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('competition_ended');
  });

  it('issues a whole competition’s codes: a judge on two events gets one slip naming both', async () => {
    const competition = makeCompetition(app, { endDate: '2099-06-30' });
    const a = makeEvent(app, { competitionId: competition.id, name: '无人机驾驶' });
    const b = makeEvent(app, { competitionId: competition.id, name: '消防救援' });
    const both = makeJudge(app, a.id, { name: '双项裁判' });
    makeJudge(app, b.id, { judgeId: both.id });
    const only = makeJudge(app, b.id, { name: '单项裁判' });
    const res = await call(app, organiser, { method: 'POST', url: `/api/competitions/${competition.id}/judge-codes` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ competitionId: competition.id, eventId: null });
    expect(res.json().slips).toHaveLength(2);
    const slip = res.json().slips.find((x: { judgeId: number }) => x.judgeId === both.id);
    expect(slip.events.map((e: { eventName: string }) => e.eventName)).toEqual(['无人机驾驶', '消防救援']);
    const login = await judgeLogin(slip.code);
    expect(login.json().events.map((e: { eventId: number }) => e.eventId)).toEqual([a.id, b.id]);
    expect(res.json().slips.some((x: { judgeId: number }) => x.judgeId === only.id)).toBe(true);
  });
});
