import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { tokenHash } from '../../server/security.ts';
import { loginAs } from '../helpers/factories.ts';
import { makeScenario, type Scenario } from '../helpers/scenario.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let s: Scenario;
let organiser: string;

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 2, judgeCount: 3 });
  organiser = await loginAs(app, 'organiser', s.orgId);
});
afterAll(() => app.close());

const roundStatus = () => (app.db.$client.prepare('select status from rounds where id = ?').get(s.roundId) as { status: string }).status;

describe('requests from other sites', () => {
  it('refuses a state-changing request another site’s page sends with the user’s cookie', async () => {
    // A form on evil.example posting text/plain to close the round (no preflight needed).
    for (const headers of [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: 'https://scores.evil.example' },
      { origin: 'https://evil.example' },
    ]) {
      const res = await call(app, organiser, { method: 'POST', url: `/api/rounds/${s.roundId}/close`, headers: { ...headers, 'content-type': 'text/plain' }, payload: 'x' });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'cross_site_request' });
    }
    expect(roundStatus()).toBe('open');
  });

  it('takes JSON only: a text/plain body is 415 even from this site', async () => {
    const res = await call(app, organiser, { method: 'POST', url: `/api/rounds/${s.roundId}/close`, headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(roundStatus()).toBe('open');
  });

  it('lets the app’s own pages through (same origin, or a request with no browser headers)', async () => {
    const logout = await call(app, null, { method: 'POST', url: '/api/auth/logout', headers: { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80' } });
    expect(logout.statusCode).toBeLessThan(300);
    const sameHost = await call(app, null, { method: 'POST', url: '/api/auth/logout', headers: { origin: 'http://localhost:80' } });
    expect(sameHost.statusCode).toBeLessThan(300);
    // Reading is never refused: public pages and streams are linked from everywhere.
    const read = await call(app, null, { method: 'GET', url: `/api/public/events/${s.eventId}/ranking`, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(read.statusCode).toBe(200);
  });
});

describe('security headers', () => {
  it('sends a Content-Security-Policy that fits the app, nosniff, a same-origin referrer policy and no framing', async () => {
    const res = await call(app, null, { method: 'GET', url: '/api/auth/session' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('keeps Swagger UI working under its own policy', async () => {
    const res = await call(app, null, { method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-security-policy'])).toContain('script-src');
  });
});

describe('logs', () => {
  it('never carry a judge’s code or the session cookie: request lines keep the path only', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = loadConfig({ DEMO: 'false', SESSION_SECRET: 'test-secret-test-secret-test-secret-0123', WEB_DIST: '/nonexistent', LOG_LEVEL: 'info' });
    const logged = await buildApp(config, { db: openDb(':memory:'), logStream: stream });
    await logged.ready();
    await logged.inject({ method: 'GET', url: '/judge?code=SECRET42', headers: { cookie: 'sid=session-token-value' } });
    await logged.inject({ method: 'POST', url: '/api/auth/judge-login?code=SECRET42', payload: { code: 'SECRET42' }, headers: { cookie: 'sid=session-token-value' } });
    await logged.close();
    const text = lines.join('');
    expect(text).toContain('"url":"/judge?…"');
    expect(text).not.toContain('SECRET42');
    expect(text).not.toContain('session-token-value');
  });
});

describe('sessions and the secret', () => {
  it('deletes an expired session when it is presented, and every expired one when the server starts', async () => {
    const db = openDb(':memory:');
    const config = loadConfig({ DEMO: 'false', SESSION_SECRET: 'test-secret-test-secret-test-secret-0123', WEB_DIST: '/nonexistent' });
    const first = await buildApp(config, { db, logger: false });
    await first.ready();
    const insert = db.$client.prepare('insert into sessions (token_hash, account_id, expires_at, created_at) values (?, ?, ?, ?)');
    const admin = db.$client.prepare(`insert into organisations (name, kind, region_code, path) values ('根', 'union', '340000', '/x/') returning id`).get() as { id: number };
    const account = db.$client
      .prepare(`insert into accounts (username, display_name, password_hash, org_id, role) values ('old', '旧账号', 'x', ?, 'viewer') returning id`)
      .get(admin.id) as { id: number };
    const past = Date.now() - 60_000;
    insert.run(tokenHash(config.sessionSecret, 'expired-token'), account.id, past, past - 1000);
    insert.run('another-expired-hash', account.id, past, past - 1000);
    const count = () => (db.$client.prepare('select count(*) as n from sessions').get() as { n: number }).n;
    expect(count()).toBe(2);
    const res = await first.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: 'sid=expired-token' } });
    expect(res.json()).toEqual({ session: null, endedIdle: false, publicUrl: null });
    expect(count()).toBe(1);
    // A server starting on this database sweeps the rest.
    const second = await buildApp(config, { db, logger: false });
    await second.ready();
    expect(count()).toBe(0);
    await second.close();
  });

  it('warns once, clearly, when started with the built-in demo secret', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const demo = await buildApp(loadConfig({ DEMO: 'true', WEB_DIST: '/nonexistent', LOG_LEVEL: 'info' }), { db: openDb(':memory:'), logStream: stream });
    await demo.ready();
    await demo.close();
    expect(lines.filter((l) => l.includes('SESSION_SECRET is not set'))).toHaveLength(1);
    lines.length = 0;
    const real = await buildApp(loadConfig({ DEMO: 'false', SESSION_SECRET: 'test-secret-test-secret-test-secret-0123', WEB_DIST: '/nonexistent', LOG_LEVEL: 'info' }), {
      db: openDb(':memory:'),
      logStream: stream,
    });
    await real.ready();
    await real.close();
    expect(lines.filter((l) => l.includes('SESSION_SECRET is not set'))).toHaveLength(0);
  }, 60_000);
});

describe('input hygiene', () => {
  it('reads ids in paths and queries as decimal digits only', async () => {
    expect((await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}` })).statusCode).toBe(200);
    for (const id of ['0x' + s.eventId.toString(16), `${s.eventId}e0`, `0${s.eventId}`, '%20' + s.eventId, '-1']) {
      const res = await call(app, organiser, { method: 'GET', url: `/api/events/${id}` });
      expect(res.statusCode, id).toBe(400);
      expect(res.json().errors[0].field).toBe('params.id');
    }
    const query = await call(app, organiser, { method: 'GET', url: `/api/events/${s.eventId}/marks?roundId=0x${s.roundId.toString(16)}` });
    expect(query.statusCode).toBe(400);
    expect(query.json().errors[0].field).toBe('querystring.roundId');
  });
});

describe('names', () => {
  it('are stored in NFC and trimmed; control characters, bidi overrides, lone surrogates and invisible-only names are refused by field', async () => {
    const admin = await loginAs(app, 'admin');
    const parentId = s.orgId;
    const post = (name: string) => call(app, admin, { method: 'POST', url: '/api/organisations', payload: { parentId, name, kind: 'employer', regionCode: '340123' } });
    // "e" + combining acute accent is stored as the single precomposed character.
    const ok = await post('  Cafe\u0301 焊接厂  ');
    expect(ok.statusCode).toBe(201);
    expect(ok.json().name).toBe('Caf\u00e9 焊接厂');
    for (const bad of ['焊接\u0000厂', '焊接\n厂', '\u202e厂接焊', '焊接\ud800厂', '\u200b\u3000 ', '\u3164']) {
      const res = await post(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().errors[0].field).toBe('body.name');
    }
  });
});
