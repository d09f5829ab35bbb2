import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/clock.ts';
import { loadConfig } from '../../server/config.ts';
import { addressBucket } from '../../server/features/auth/login-throttle.ts';
import { makeAccount, makeEvent, makeJudge } from '../helpers/factories.ts';
import { buildTestApp, call, rootOrg, sessionCookie, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let username: string;

beforeAll(async () => {
  app = await buildTestApp();
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
    expect((await call(app, sid, { method: 'GET', url: '/api/auth/session' })).json()).toMatchObject({ session: { kind: 'staff', username } });
    expect((await call(app, sid, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(200);
    expect((await call(app, sid, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    // The shell's question answers a visitor with null, not a 401 (no error in the browser's console).
    const visitor = await call(app, sid, { method: 'GET', url: '/api/auth/session' });
    expect(visitor.statusCode).toBe(200);
    expect(visitor.json()).toEqual({ session: null, endedIdle: false, publicUrl: null }); // no PUBLIC_URL: pages print their own address
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

  it('refuses an unknown judge code and a badly shaped one', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code: 'ZZZZ9999' } })).statusCode).toBe(401);
    const bad = await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code: 'abc' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.code');
  });

  it('audits failed sign-ins (the name tried and the address, never the password or code) and judges’ sign-ins', async () => {
    const audit = (action: string) =>
      app.db.$client.prepare(`select actor_kind, actor_id, entity_id, after from audit_log where action = ? order by id desc limit 1`).get(action) as
        | { actor_kind: string; actor_id: number | null; entity_id: number | null; after: string }
        | undefined;
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'wrong-password-123' } });
    const failed = audit('auth.login_failed')!;
    expect(failed.actor_kind).toBe('public');
    expect(JSON.parse(failed.after)).toMatchObject({ username, reason: 'wrong_password' });
    expect(failed.after).not.toContain('wrong-password-123');

    await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code: 'QQQQ7777' } });
    expect(audit('auth.judge_login_failed')!.after).not.toContain('QQQQ7777');

    const event = makeEvent(app);
    const judge = makeJudge(app, event.id, { code: 'AUDT2345' });
    expect((await app.inject({ method: 'POST', url: '/api/auth/judge-login', payload: { code: 'AUDT2345' } })).statusCode).toBe(200);
    expect(audit('auth.judge_login')).toMatchObject({ actor_kind: 'judge', actor_id: judge.id, entity_id: judge.id });
  });
});

/** A judge code of the alphabet judges get, unique per call, starting with `prefix`. */
let codeSerial = 0;
function judgeCode(prefix: string): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  let n = ++codeSerial;
  let tail = '';
  for (let i = prefix.length; i < 8; i++) {
    tail = alphabet[n % alphabet.length] + tail;
    n = Math.floor(n / alphabet.length);
  }
  return prefix + tail;
}

/** The account lock-out: 429 `account_locked` for the stated number of seconds. */
function expectLocked(res: LightMyRequestResponse, seconds: number) {
  expect(res.statusCode).toBe(429);
  expect(res.json()).toMatchObject({ code: 'account_locked', params: { retryAfterSeconds: seconds } });
  expect(res.headers['retry-after']).toBe(String(seconds));
}

function expectLimited(res: LightMyRequestResponse, seconds?: number) {
  expect(res.statusCode).toBe(429);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json();
  expect(body.code).toBe('too_many_sign_in_failures');
  expect(body.params.retryAfterSeconds).toBeGreaterThan(0);
  expect(res.headers['retry-after']).toBe(String(body.params.retryAfterSeconds));
  if (seconds !== undefined) expect(body.params.retryAfterSeconds).toBe(seconds);
}

describe('sign-in limits: a venue shares one address', () => {
  const clock = fixedClock('2026-05-12T08:00:00+08:00');
  let venue: TestApp;
  let eventId: number;
  const password = 'correct horse battery';
  const staffLogin = (username: string, pw: string, remoteAddress: string) =>
    venue.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password: pw } });
  const judgeLogin = (code: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    venue.inject({ method: 'POST', url: '/api/auth/judge-login', remoteAddress, headers, payload: { code } });

  beforeAll(async () => {
    venue = await buildTestApp({}, { clock });
    rootOrg(venue);
    eventId = makeEvent(venue).id;
  });
  afterAll(() => venue.close());

  it('lets sixty judges behind one Wi-Fi address sign in at once, after some typos, and never counts successes', async () => {
    const wifi = '203.0.113.7';
    // A few mistyped codes first: failures count, but stay well under the address's allowance.
    for (let i = 0; i < 4; i++) expect((await judgeLogin(judgeCode(`T${i + 2}`), wifi)).statusCode).toBe(401);
    const codes = Array.from({ length: 60 }, () => judgeCode('VN'));
    // Codes issued now and valid for a day on the app's clock (makeJudge reads it).
    for (const code of codes) makeJudge(venue, eventId, { code });
    const burst = await Promise.all(codes.map((code) => judgeLogin(code, wifi)));
    expect(burst.map((r) => r.statusCode)).toEqual(codes.map(() => 200));
    // And again (a tablet restarted): successes never lock anything.
    const again = await Promise.all(codes.map((code) => judgeLogin(code, wifi)));
    expect(again.every((r) => r.statusCode === 200)).toBe(true);
  });

  it('locks an account for ten minutes after five wrong passwords from any address, even for the right password, and a name that does not exist alike', async () => {
    const { username } = await makeAccount(venue, 'organiser');
    for (let i = 0; i < 5; i++) expect((await staffLogin(username, 'guess', `198.51.100.${i + 1}`)).statusCode).toBe(401);
    // Whatever the address and even with the right password (等保 level 2: per account, not per address).
    expectLocked(await staffLogin(username, password, '198.51.100.99'), 600);
    // A name nobody holds answers the same way: a guesser learns nothing about which names exist.
    for (let i = 0; i < 5; i++) expect((await staffLogin('no-such-clerk', 'guess', `198.51.100.${i + 30}`)).statusCode).toBe(401);
    expectLocked(await staffLogin('no-such-clerk', password, '198.51.100.99'), 600);
    // Other accounts are not touched.
    const other = await makeAccount(venue, 'organiser');
    expect((await staffLogin(other.username, password, '198.51.100.23')).statusCode).toBe(200);
    clock.advance(9 * 60_000);
    expectLocked(await staffLogin(username, password, '198.51.100.23'), 60);
    // Once the lock is over the right password works and clears the account's record.
    clock.advance(60_000);
    expect((await staffLogin(username, password, '198.51.100.23')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await staffLogin(username, 'guess', '198.51.100.24')).statusCode).toBe(401);
  });

  it('lets at most the remaining free failures of an account be checked at once', async () => {
    const { username } = await makeAccount(venue, 'organiser');
    const volley = await Promise.all(Array.from({ length: 20 }, (_, i) => staffLogin(username, `guess${i}`, `192.0.2.${i + 1}`)));
    const checked = volley.filter((r) => r.statusCode === 401).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(checked).toBeGreaterThanOrEqual(1);
    for (const r of volley.filter((x) => x.statusCode !== 401)) expect(r.statusCode).toBe(429);
  });

  it('limits one address spraying judge codes across prefixes, and not its neighbours', async () => {
    const attacker = '203.0.113.66';
    const prefixes = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await judgeLogin(judgeCode(`${prefixes[i]}${prefixes[(i * 7) % 31]}`), attacker)).statusCode);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses[30]).toBe(429);
    expect((await judgeLogin(judgeCode('QQ'), '203.0.113.67')).statusCode).toBe(401);
    // The address is free again once its delay is over, but each further failure doubles it.
    clock.advance(1000);
    expect((await judgeLogin(judgeCode('QR'), attacker)).statusCode).toBe(401);
    expectLimited(await judgeLogin(judgeCode('QS'), attacker), 2);
    // An hour later the failures have left the window.
    clock.advance(3600_000);
    expect((await judgeLogin(judgeCode('QT'), attacker)).statusCode).toBe(401);
    expect((await judgeLogin(judgeCode('QU'), attacker)).statusCode).toBe(401);
  });

  it('limits guesses at one judge-code prefix from many addresses', async () => {
    for (let i = 0; i < 10; i++) expect((await judgeLogin(judgeCode('KP'), `100.64.0.${i + 1}`)).statusCode).toBe(401);
    expectLimited(await judgeLogin(judgeCode('KP'), '100.64.0.50'), 1);
    expect((await judgeLogin(judgeCode('KQ'), '100.64.0.50')).statusCode).toBe(401);
  });

  it('ignores X-Forwarded-For from a client that is not a configured proxy', async () => {
    const client = '203.0.113.90';
    for (let i = 0; i < 30; i++)
      expect((await judgeLogin(judgeCode(`M${'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[i]}`), client, { 'x-forwarded-for': `10.20.${i}.1` })).statusCode).toBe(401);
    expectLimited(await judgeLogin(judgeCode('NA'), client, { 'x-forwarded-for': '10.99.99.99' }));
  });
});

describe('sign-in limits behind a trusted proxy', () => {
  let proxied: TestApp;
  const proxy = '192.0.2.10';
  const judgeLogin = (code: string, remoteAddress: string, forwardedFor?: string) =>
    proxied.inject({ method: 'POST', url: '/api/auth/judge-login', remoteAddress, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}, payload: { code } });

  beforeAll(async () => {
    proxied = await buildTestApp({ trustedProxies: ['192.0.2.0/28'], loginFailuresPerAddress: 3 });
    rootOrg(proxied);
  });
  afterAll(() => proxied.close());

  it('counts each client the proxy forwards for under its own address', async () => {
    for (let i = 0; i < 3; i++) expect((await judgeLogin(judgeCode(`A${i + 2}`), proxy, '198.51.100.1')).statusCode).toBe(401);
    expectLimited(await judgeLogin(judgeCode('A9'), proxy, '198.51.100.1'));
    // Another client behind the same proxy is not limited.
    expect((await judgeLogin(judgeCode('B9'), proxy, '198.51.100.2')).statusCode).toBe(401);
    // A client that sets the header itself, not through the proxy, is counted under its own address.
    for (let i = 0; i < 3; i++) expect((await judgeLogin(judgeCode(`C${i + 2}`), '203.0.113.5', `198.51.100.${i + 10}`)).statusCode).toBe(401);
    expectLimited(await judgeLogin(judgeCode('C9'), '203.0.113.5', '198.51.100.77'));
  });

  it('counts an IPv6 client by its /64 network', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
  });
});

describe('configuration', () => {
  it('refuses to start outside demo mode without a session secret, naming the variable', () => {
    expect(() => loadConfig({ DEMO: 'false' })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(loadConfig({}).port).toBe(3000);
    expect(loadConfig({ DEMO: 'false', SESSION_SECRET: 'x'.repeat(32) }).demo).toBe(false);
  });

  it('trusts no proxy unless told, and names a bad TRUSTED_PROXIES entry', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,loopback,2001:db8::/32' }).trustedProxies).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      'loopback',
      '2001:db8::/32',
    ]);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.1,proxy.example' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES/);
  });
});
