import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAccount } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, sessionCookie, type TestApp } from '../helpers/test-app.ts';
import { loadConfig } from '../../server/config.ts';

let app: TestApp;
let username: string;

beforeAll(async () => {
  app = await buildTestApp({ loginRateLimit: 5 });
  rootOrg(app);
  username = (await makeAccount(app, 'organiser')).username;
});
afterAll(() => app.close());

describe('staff sign-in', () => {
  it('signs in with an httpOnly session cookie, answers /me, and signs out', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'correct horse battery' } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const sid = sessionCookie(res);
    expect((await call(app, sid, { method: 'GET', url: '/api/auth/me' })).json()).toMatchObject({ kind: 'staff', username, role: 'organiser' });
    expect((await call(app, sid, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(200);
    expect((await call(app, sid, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
  });

  it('never stores a password in plain text', () => {
    const row = app.db.$client.prepare('select password_hash from accounts where username = ?').get(username) as { password_hash: string };
    expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(row.password_hash).not.toContain('correct horse battery');
  });

  it('refuses a wrong password with one message for both unknown user and wrong password', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'nope' } });
    const unknown = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
  });

  it('names a missing field', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('body.password');
  });

  it('rate-limits sign-in attempts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.9.9.9', payload: { username, password: 'x' } })).statusCode);
    expect(statuses).toContain(429);
    const limited = await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.9.9.9', payload: { username, password: 'x' } });
    expect(limited.json().code).toBe('rate_limited');
  });

  it('refuses an unknown judge code and a badly shaped one', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code: 'ZZZZ9999' } })).statusCode).toBe(401);
    const bad = await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code: 'abc' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.code');
  });
});

describe('configuration', () => {
  it('refuses to start outside demo mode without a session secret, naming the variable', () => {
    expect(() => loadConfig({ DEMO: 'false' })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(loadConfig({}).port).toBe(3000);
    expect(loadConfig({ DEMO: 'false', SESSION_SECRET: 'x'.repeat(32) }).demo).toBe(false);
  });
});
