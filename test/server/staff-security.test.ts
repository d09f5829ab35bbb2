import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLog } from '../../db/schema.ts';
import { fixedClock } from '../../server/clock.ts';
import { loadConfig } from '../../server/config.ts';
import { loginAs, makeOrg } from '../helpers/factories.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, rootOrg, sessionCookie, type TestApp } from '../helpers/test-app.ts';

/**
 * What a security review under 等级保护 level 2 asks of staff accounts: a password policy, a lock-out
 * per account, an idle limit, a forced change of an administrator's password, and an audit trail
 * that is kept, protected and exportable; plus refusals on people and results in that trail.
 */
const clock = fixedClock('2026-05-10T02:00:00Z');
const MINUTE = 60_000;
let app: TestApp;
let admin: string;
let county: ReturnType<typeof makeOrg>;
let s: Scenario;

beforeAll(async () => {
  app = await buildTestApp({ sessionIdleMs: loadConfig({ DEMO: 'true' }).sessionIdleMs }, { clock });
  rootOrg(app);
  admin = await loginAs(app, 'admin');
  county = makeOrg(app, { name: '肥西县总工会' });
  s = makeScenario(app);
});
afterAll(() => app.close());

function login(username: string, password: string, address = '10.0.0.1') {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: address });
}

let seq = 0;
async function createAccount(password: string, username = `clerk${++seq}`) {
  return call(app, admin, { method: 'POST', url: '/api/accounts', payload: { username, displayName: '王会计', password, orgId: county.id, role: 'organiser' } });
}

describe('password policy', () => {
  it('asks for 8 characters from 3 classes, without the username', async () => {
    const cases: [string, string][] = [
      ['Ab1!', 'at least 8 characters'],
      ['abcdefghij', 'at least 3 of: capital letters, small letters, digits, symbols'],
      ['abcdefgh12', 'at least 3 of: capital letters, small letters, digits, symbols'],
    ];
    for (const [password, message] of cases) {
      const res = await createAccount(password);
      expect(res.statusCode, password).toBe(400);
      expect(res.json().errors).toContainEqual({ field: 'body.password', message });
    }
    const withName = await createAccount('Wangkuaiji-2026', 'wangkuaiji');
    expect(withName.statusCode).toBe(400);
    expect(withName.json().errors).toContainEqual({ field: 'body.password', message: 'must not contain the username' });
    expect((await createAccount('Feixi#2026')).statusCode).toBe(201);
  });
});

describe('an account an administrator created', () => {
  it('must choose its own password before doing anything else; its other sessions end', async () => {
    const created = (await createAccount('Temp#Pass01', 'lili')).json();
    expect(created).toMatchObject({ mustChangePassword: true, lockedUntil: null, passwordChangedAt: null });
    const first = await login('lili', 'Temp#Pass01');
    expect(first.json()).toMatchObject({ kind: 'staff', mustChangePassword: true });
    const cookie = sessionCookie(first);
    const other = sessionCookie(await login('lili', 'Temp#Pass01', '10.0.0.2'));

    const blocked = await call(app, cookie, { method: 'GET', url: '/api/competitions' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('password_change_required');
    expect((await call(app, cookie, { method: 'GET', url: '/api/auth/session' })).json().session.mustChangePassword).toBe(true);

    const change = (currentPassword: string, newPassword: string) =>
      call(app, cookie, { method: 'POST', url: '/api/auth/password', payload: { currentPassword, newPassword } });
    const wrong = await change('Not-it-123', 'Better#Pass02');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'wrong_current_password', errors: [{ field: 'body.currentPassword' }] });
    expect((await change('Temp#Pass01', 'Temp#Pass01')).json().code).toBe('password_reused');
    expect((await change('Temp#Pass01', 'xLili-2026x')).json().errors).toContainEqual({ field: 'body.newPassword', message: 'must not contain the username' });
    expect((await change('Temp#Pass01', 'weakpassword')).json().errors[0].field).toBe('body.newPassword');

    const done = await change('Temp#Pass01', 'Better#Pass02');
    expect(done.statusCode).toBe(200);
    expect(done.json().mustChangePassword).toBe(false);
    expect((await call(app, cookie, { method: 'GET', url: '/api/competitions' })).statusCode).toBe(200);
    // The session this was done in stays; the other one is gone.
    expect((await call(app, other, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await login('lili', 'Better#Pass02')).statusCode).toBe(200);
    const row = app.db.select().from(accounts).where(eq(accounts.username, 'lili')).get()!;
    expect(row.passwordChangedAt?.toISOString()).toBe(clock.now().toISOString());
    expect(app.db.select().from(auditLog).where(and(eq(auditLog.action, 'account.password_change'), eq(auditLog.entityId, row.id))).get()?.after).toEqual({ forced: true });
  });
});

describe('lock-out', () => {
  it('locks an account for 10 minutes after 5 wrong passwords from any addresses, the right one included', async () => {
    const account = (await createAccount('Lock#Test01', 'zhaoliu')).json();
    for (let i = 1; i <= 5; i++) expect((await login('zhaoliu', `Wrong#${i}xxxx`, `192.168.${i}.9`)).statusCode).toBe(401);
    const locked = await login('zhaoliu', 'Lock#Test01', '172.16.0.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'account_locked', params: { retryAfterSeconds: 600 } });
    expect(locked.headers['retry-after']).toBe('600');

    const listed = await call(app, admin, { method: 'GET', url: `/api/accounts/${account.id}` });
    expect(listed.json().lockedUntil).toBe(new Date(clock.now().getTime() + 10 * MINUTE).toISOString());
    expect(app.db.select().from(auditLog).where(and(eq(auditLog.action, 'auth.account_locked'), eq(auditLog.entityId, account.id))).get()).toBeTruthy();

    clock.advance(9 * MINUTE);
    expect((await login('zhaoliu', 'Lock#Test01')).json().code).toBe('account_locked');
    clock.advance(1 * MINUTE + 1000);
    expect((await login('zhaoliu', 'Lock#Test01')).statusCode).toBe(200);
  });

  it('is lifted by an administrator’s reset, which makes the holder choose a new password', async () => {
    const account = (await createAccount('Reset#Test1', 'sunqi')).json();
    for (let i = 1; i <= 5; i++) await login('sunqi', `Wrong#${i}yyyy`, `192.168.50.${i}`);
    expect((await login('sunqi', 'Reset#Test1')).json().code).toBe('account_locked');
    const reset = await call(app, admin, { method: 'PATCH', url: `/api/accounts/${account.id}`, payload: { password: 'Given#Pass22' } });
    expect(reset.json()).toMatchObject({ lockedUntil: null, mustChangePassword: true });
    const res = await login('sunqi', 'Given#Pass22');
    expect(res.statusCode).toBe(200);
    expect(res.json().mustChangePassword).toBe(true);
  });

  it('counts wrong passwords in a row only: a success clears the count', async () => {
    await createAccount('Count#Test1', 'zhouba');
    for (let i = 1; i <= 4; i++) await login('zhouba', `Wrong#${i}zzzz`, `192.168.60.${i}`);
    expect((await login('zhouba', 'Count#Test1')).statusCode).toBe(200);
    for (let i = 1; i <= 4; i++) await login('zhouba', `Wrong#${i}wwww`, `192.168.61.${i}`);
    expect((await login('zhouba', 'Count#Test1')).statusCode).toBe(200);
  });
});

describe('idle sessions', () => {
  it('ends a staff session unused for 30 minutes (the default), and says why', async () => {
    expect(loadConfig({ DEMO: 'true' }).sessionIdleMs).toBe(30 * MINUTE);
    const cookie = await loginAs(app, 'viewer', county.id);
    clock.advance(20 * MINUTE);
    expect((await call(app, cookie, { method: 'GET', url: '/api/competitions' })).statusCode).toBe(200);
    clock.advance(20 * MINUTE);
    // 40 minutes after sign-in but 20 after the last request: still signed in.
    expect((await call(app, cookie, { method: 'GET', url: '/api/competitions' })).statusCode).toBe(200);
    clock.advance(31 * MINUTE);
    const res = await call(app, cookie, { method: 'GET', url: '/api/competitions' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('session_idle');
    expect((await call(app, cookie, { method: 'GET', url: '/api/auth/session' })).json()).toEqual({ session: null, endedIdle: false, publicUrl: null });

    const other = await loginAs(app, 'viewer', county.id);
    clock.advance(31 * MINUTE);
    expect((await call(app, other, { method: 'GET', url: '/api/auth/session' })).json()).toEqual({ session: null, endedIdle: true, publicUrl: null });
  });

  it('leaves a judge’s tablet signed in between contestants', async () => {
    const judge = await judgeLogin(app, s.judgeCodes[0]!);
    clock.advance(2 * 60 * MINUTE);
    expect((await call(app, judge, { method: 'GET', url: '/api/auth/me' })).json().kind).toBe('judge');
  });

  it('takes its limit from SESSION_IDLE_MINUTES', async () => {
    const short = await buildTestApp({ sessionIdleMs: 5 * MINUTE }, { clock });
    rootOrg(short);
    const cookie = await loginAs(short, 'viewer');
    clock.advance(6 * MINUTE);
    expect((await call(short, cookie, { method: 'GET', url: '/api/auth/me' })).json().code).toBe('session_idle');
    await short.close();
  });
});

describe('marks made with a reissued code', () => {
  it('say which code they were made with, in the mark and its history', async () => {
    const chief = await judgeLogin(app, s.chiefCode);
    const before = await judgeLogin(app, s.judgeCodes[1]!);
    const mark = (cookie: string, criterionId: string) =>
      call(app, cookie, { method: 'POST', url: '/api/marks', payload: { marks: [{ idempotencyKey: newKey(), number: 1, partId: 'task1', criterionId, value: 30 }] } });
    const first = await mark(before, 'c1');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().results[0].mark.judgeCodeNumber).toBe(1);

    const issued = await call(app, chief, { method: 'POST', url: `/api/judges/${s.judgeIds[1]}/code` });
    expect(issued.statusCode, issued.body).toBe(200);
    const after = await judgeLogin(app, issued.json().code);
    const second = await mark(after, 'c2');
    expect(second.json().results[0].mark.judgeCodeNumber).toBe(2);
    const history = await call(app, chief, { method: 'GET', url: `/api/marks/${second.json().results[0].mark.id}/history` });
    expect(history.json().versions[0].judgeCodeNumber).toBe(2);
    const audit = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'judge.code_issue'), eq(auditLog.entityId, s.judgeIds[1]!))).get()!;
    expect(audit.after).toMatchObject({ reissue: true, issuedBy: 'chief_judge', codeNumber: 2 });
  });
});

describe('the audit trail', () => {
  beforeAll(async () => {
    // The administrator's session of the first tests has gone idle on the moved clock.
    admin = await loginAs(app, 'admin');
  });

  it('is append-only', () => {
    expect(() => app.db.$client.prepare('delete from audit_log').run()).toThrow(/append-only/);
    expect(() => app.db.$client.prepare("update audit_log set action = 'x'").run()).toThrow(/append-only/);
  });

  it('keeps a deleted organisation’s trail visible to the bodies above it', async () => {
    const created = await call(app, admin, { method: 'POST', url: '/api/organisations', payload: { parentId: county.id, name: '临时筹备组', kind: 'department', regionCode: '340123' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await call(app, admin, { method: 'DELETE', url: `/api/organisations/${id}` })).statusCode).toBe(200);
    const trail = await call(app, admin, { method: 'GET', url: `/api/audit?entityType=organisation&entityId=${id}` });
    expect(trail.json().items.map((i: { action: string }) => i.action).sort()).toEqual(['organisation.create', 'organisation.delete']);
  });

  it('records refused operations on people and results, and failed sign-ins, for the administrators', async () => {
    const viewer = await loginAs(app, 'viewer', county.id);
    expect((await call(app, viewer, { method: 'POST', url: '/api/people', payload: {} })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: `/api/events/${s.eventId}/marks` })).statusCode).toBe(401);
    const refused = (await call(app, admin, { method: 'GET', url: '/api/audit?action=access.refused' })).json().items;
    expect(refused.map((r: { after: { operation: string } }) => r.after.operation)).toEqual(expect.arrayContaining(['createPerson', 'listEventMarks']));
    expect(refused.find((r: { actorKind: string }) => r.actorKind === 'public')).toBeTruthy();
    // A county organiser sees their county's refusals, not the anonymous ones.
    const countyOrganiser = await loginAs(app, 'organiser', county.id);
    const theirs = (await call(app, countyOrganiser, { method: 'GET', url: '/api/audit?action=access.refused' })).json().items;
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((r: { actorKind: string }) => r.actorKind === 'account')).toBe(true);
  });

  it('exports as CSV for a period, formula-safe, with who acted', async () => {
    // Audit rows carry the machine's wall clock (when things really happened), so the period is today's.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const res = await call(app, admin, { method: 'GET', url: `/api/audit/export?from=${today}&to=${today}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('操作人');
    expect(lines.length).toBeGreaterThan(5);
    expect(res.body).toContain('auth.account_locked');
    expect(res.body).toContain('lili');
    // No cell starts a formula.
    expect(lines.some((l) => /(^|,)[=+@]/.test(l))).toBe(false);
    const none = await call(app, admin, { method: 'GET', url: '/api/audit/export?from=2020-01-01&to=2020-01-02' });
    expect(none.body.replace(/^\uFEFF/, '').trim().split('\r\n')).toHaveLength(1);
    const bad = await call(app, admin, { method: 'GET', url: '/api/audit/export?from=yesterday' });
    expect(bad.json().errors[0].field).toBe('querystring.from');
    expect((await call(app, await loginAs(app, 'viewer'), { method: 'GET', url: '/api/audit/export' })).statusCode).toBe(403);
  });
});
