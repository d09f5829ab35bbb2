import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, sessions } from '../../db/schema.ts';
import { loginAs, makeAccount, makeOrg } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, sessionCookie, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let admin: string;
let organiser: string;
let county: ReturnType<typeof makeOrg>;
let otherCounty: ReturnType<typeof makeOrg>;
let countyAdmin: string;

const PASSWORD = 'A long-enough pass 1';

beforeAll(async () => {
  app = await buildTestApp();
  rootOrg(app);
  admin = await loginAs(app, 'admin');
  organiser = await loginAs(app, 'organiser');
  county = makeOrg(app, { name: '肥西县总工会' });
  otherCounty = makeOrg(app, { name: '庐江县总工会' });
  countyAdmin = await loginAs(app, 'admin', county.id);
});
afterAll(() => app.close());

function login(username: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
}

let usernameSeq = 0;
/** Creates an account through the API as `cookie` and returns the response. */
function createAccount(cookie: string | null, overrides: Record<string, unknown> = {}) {
  return call(app, cookie, {
    method: 'POST',
    url: '/api/accounts',
    payload: { username: `staff${++usernameSeq}`, displayName: '张三', password: PASSWORD, orgId: county.id, role: 'organiser', ...overrides },
  });
}

describe('POST /api/accounts', () => {
  it('creates an account that can sign in, without ever showing the hash', async () => {
    const res = await createAccount(admin, { username: 'zhangsan', role: 'hr_officer' });
    expect(res.statusCode).toBe(201);
    const account = res.json();
    expect(account).toMatchObject({ username: 'zhangsan', displayName: '张三', role: 'hr_officer', orgId: county.id, active: true });
    expect(res.body).not.toMatch(/passwordHash|scrypt/);
    expect((await login('zhangsan', PASSWORD)).statusCode).toBe(200);

    const audit = app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'account.create'), eq(auditLog.entityId, account.id)))
      .get();
    expect(audit?.orgId).toBe(county.id);
    expect(JSON.stringify(audit?.after)).toContain('zhangsan');
    expect(JSON.stringify(audit)).not.toMatch(/passwordHash|scrypt/);
  });

  it('names a short password', async () => {
    const res = await createAccount(admin, { password: 'short' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual({ field: 'body.password', message: 'at least 8 characters' });
  });

  it('names an organisation that does not exist', async () => {
    const res = await createAccount(admin, { orgId: 999_999 });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.orgId');
  });

  it('refuses a username that is taken', async () => {
    expect((await createAccount(admin, { username: 'lisi' })).statusCode).toBe(201);
    const res = await createAccount(admin, { username: 'lisi' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'username_taken', errors: [{ field: 'body.username' }] });
  });

  it('refuses non-admins, anyone signed out, and an organisation outside the subtree', async () => {
    expect((await createAccount(organiser)).statusCode).toBe(403);
    expect((await createAccount(null)).statusCode).toBe(401);
    const res = await createAccount(countyAdmin, { orgId: otherCounty.id });
    expect(res.statusCode).toBe(403);
  });
});

describe('GET /api/accounts', () => {
  it('lists with filters on role, organisation and text', async () => {
    await createAccount(admin, { username: 'wangwu', displayName: '王五', role: 'viewer' });
    const byText = await call(app, admin, { method: 'GET', url: `/api/accounts?q=${encodeURIComponent('王五')}` });
    expect(byText.statusCode).toBe(200);
    expect(byText.json().items.map((a: { username: string }) => a.username)).toEqual(['wangwu']);

    const byRole = await call(app, admin, { method: 'GET', url: `/api/accounts?role=viewer&orgId=${county.id}` });
    const items = byRole.json().items as { role: string; orgId: number }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((a) => a.role === 'viewer' && a.orgId === county.id)).toBe(true);
    expect(byRole.body).not.toMatch(/passwordHash|scrypt/);
  });

  it('pages', async () => {
    const res = await call(app, admin, { method: 'GET', url: '/api/accounts?pageSize=2&page=2' });
    const body = res.json();
    expect(body.items).toHaveLength(2);
    expect(body.total).toBeGreaterThan(4);
    expect(body).toMatchObject({ page: 2, pageSize: 2 });
  });

  it('shows a county admin only its own subtree', async () => {
    await makeAccount(app, 'viewer', otherCounty.id);
    const res = await call(app, countyAdmin, { method: 'GET', url: '/api/accounts?pageSize=500' });
    const orgIds = new Set(res.json().items.map((a: { orgId: number }) => a.orgId));
    expect([...orgIds]).toEqual([county.id]);
  });

  it('names a bad filter', async () => {
    const res = await call(app, admin, { method: 'GET', url: '/api/accounts?role=boss' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('querystring.role');
  });

  it('refuses non-admins and anyone signed out', async () => {
    expect((await call(app, organiser, { method: 'GET', url: '/api/accounts' })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: '/api/accounts' })).statusCode).toBe(401);
  });
});

describe('GET /api/accounts/:id', () => {
  it('gets one account', async () => {
    const created = (await createAccount(admin, { displayName: '赵六' })).json();
    const res = await call(app, countyAdmin, { method: 'GET', url: `/api/accounts/${created.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(created);
  });

  it('answers 404 for an unknown account and 400 for a bad id', async () => {
    expect((await call(app, admin, { method: 'GET', url: '/api/accounts/999999' })).statusCode).toBe(404);
    const res = await call(app, admin, { method: 'GET', url: '/api/accounts/abc' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('params.id');
  });

  it('refuses an account outside the subtree, non-admins and anyone signed out', async () => {
    const outside = await makeAccount(app, 'viewer', otherCounty.id);
    expect((await call(app, countyAdmin, { method: 'GET', url: `/api/accounts/${outside.id}` })).statusCode).toBe(403);
    expect((await call(app, organiser, { method: 'GET', url: `/api/accounts/${outside.id}` })).statusCode).toBe(403);
    expect((await call(app, null, { method: 'GET', url: `/api/accounts/${outside.id}` })).statusCode).toBe(401);
  });
});

describe('PATCH /api/accounts/:id', () => {
  it('changes display name and role', async () => {
    const created = (await createAccount(admin)).json();
    const res = await call(app, admin, { method: 'PATCH', url: `/api/accounts/${created.id}`, payload: { displayName: '孙七', role: 'viewer' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: created.id, displayName: '孙七', role: 'viewer', active: true });
    const audit = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'account.update'), eq(auditLog.entityId, created.id))).get();
    expect(audit?.before).toMatchObject({ role: 'organiser' });
    expect(audit?.after).toMatchObject({ role: 'viewer' });
  });

  it('resets a password: the old one stops working and the account is signed out', async () => {
    const created = (await createAccount(admin, { username: 'reset-me' })).json();
    const session = sessionCookie(await login('reset-me', PASSWORD));
    expect((await call(app, session, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);

    const res = await call(app, admin, { method: 'PATCH', url: `/api/accounts/${created.id}`, payload: { password: 'A brand new pass 2' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/scrypt/);
    expect((await login('reset-me', PASSWORD)).statusCode).toBe(401);
    expect((await login('reset-me', 'A brand new pass 2')).statusCode).toBe(200);
    expect((await call(app, session, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);

    const audit = app.db.select().from(auditLog).where(and(eq(auditLog.action, 'account.update'), eq(auditLog.entityId, created.id))).get();
    expect(audit?.after).toMatchObject({ passwordReset: true });
    expect(JSON.stringify(audit)).not.toMatch(/passwordHash|scrypt/);
  });

  it('names a short new password and an unknown role', async () => {
    const created = (await createAccount(admin)).json();
    const res = await call(app, admin, { method: 'PATCH', url: `/api/accounts/${created.id}`, payload: { password: '123', role: 'boss' } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.password', 'body.role']));
  });

  it('does not let an admin demote or deactivate themself', async () => {
    const me = (await call(app, countyAdmin, { method: 'GET', url: '/api/auth/me' })).json();
    const demote = await call(app, countyAdmin, { method: 'PATCH', url: `/api/accounts/${me.accountId}`, payload: { role: 'viewer' } });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().code).toBe('own_account');
    const deactivate = await call(app, countyAdmin, { method: 'PATCH', url: `/api/accounts/${me.accountId}`, payload: { active: false } });
    expect(deactivate.statusCode).toBe(409);
    // Renaming themself is fine.
    const rename = await call(app, countyAdmin, { method: 'PATCH', url: `/api/accounts/${me.accountId}`, payload: { displayName: '县管理员' } });
    expect(rename.json()).toMatchObject({ displayName: '县管理员', role: 'admin', active: true });
  });

  it('refuses an account outside the subtree, non-admins and anyone signed out', async () => {
    const outside = await makeAccount(app, 'viewer', otherCounty.id);
    const patch = { method: 'PATCH' as const, url: `/api/accounts/${outside.id}`, payload: { role: 'admin' } };
    expect((await call(app, countyAdmin, patch)).statusCode).toBe(403);
    expect((await call(app, organiser, patch)).statusCode).toBe(403);
    expect((await call(app, null, patch)).statusCode).toBe(401);
  });
});

describe('DELETE /api/accounts/:id', () => {
  it('deactivates the account and ends its sessions', async () => {
    const created = (await createAccount(admin, { username: 'leaving' })).json();
    const session = sessionCookie(await login('leaving', PASSWORD));

    const res = await call(app, countyAdmin, { method: 'DELETE', url: `/api/accounts/${created.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect((await call(app, admin, { method: 'GET', url: `/api/accounts/${created.id}` })).json().active).toBe(false);
    expect(app.db.select().from(sessions).where(eq(sessions.accountId, created.id)).all()).toEqual([]);
    expect((await call(app, session, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    expect((await login('leaving', PASSWORD)).statusCode).toBe(401);
  });

  it('does not let an admin deactivate themself', async () => {
    const me = (await call(app, admin, { method: 'GET', url: '/api/auth/me' })).json();
    const res = await call(app, admin, { method: 'DELETE', url: `/api/accounts/${me.accountId}` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('own_account');
  });

  it('names a bad id', async () => {
    const res = await call(app, admin, { method: 'DELETE', url: '/api/accounts/0' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('params.id');
  });

  it('refuses an account outside the subtree, non-admins and anyone signed out', async () => {
    const outside = await makeAccount(app, 'viewer', otherCounty.id);
    const del = { method: 'DELETE' as const, url: `/api/accounts/${outside.id}` };
    expect((await call(app, countyAdmin, del)).statusCode).toBe(403);
    expect((await call(app, organiser, del)).statusCode).toBe(403);
    expect((await call(app, null, del)).statusCode).toBe(401);
    expect((await call(app, admin, { method: 'GET', url: `/api/accounts/${outside.id}` })).json().active).toBe(true);
  });
});
