import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { DEFAULT_LIVE_LIMITS } from '../../server/plugins/live.plugin.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { RedisServer, TcpProxy } from '../helpers/redis-server.ts';
import { SseClient, waitFor, type SseMessage } from '../helpers/sse-client.ts';
import type { TestApp } from '../helpers/test-app.ts';

// Live updates through a real redis-server (started here, nothing persisted): a primary with the
// database and a relay without one, as in README "Deployment with relays". The relay reaches
// Redis through a TCP proxy the tests can cut, to take Redis away from it alone.
const SECRET = 'test-secret-test-secret-test-secret-0123';
const PRIMARY_URL = 'https://skills.example.gov.cn';
const PREFIX = 'test:live:';

let redis: RedisServer;
let proxy: TcpProxy;
let inspect: Redis;
let dir: string;
let primary: TestApp;
let relay: FastifyInstance;
let s: Scenario;
let judges: string[];
const opened: SseClient[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(test: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

const base = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
const eventLive = () => `/api/public/events/${s.eventId}/live`;

function primaryConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({
      DEMO: 'false',
      SESSION_SECRET: SECRET,
      WEB_DIST: '/nonexistent',
      DATABASE_PATH: join(dir, 'skills.sqlite'),
      LIVE_URL: redis.url(),
      LIVE_KEY_PREFIX: PREFIX,
    }),
    sessionIdleMs: 365 * 24 * 3600_000,
    ...overrides,
  };
}

async function startPrimary(): Promise<TestApp> {
  const app = (await buildApp(primaryConfig(), { logger: false })) as TestApp;
  await app.listen({ port: 0, host: '127.0.0.1' });
  await until(() => app.live.status().mode === 'redis' && (app.live.status() as { connected: boolean }).connected);
  return app;
}

async function startRelay(url = proxy.url(), prefix = PREFIX): Promise<FastifyInstance> {
  const config = loadConfig({ APP_ROLE: 'relay', LIVE_URL: url, PRIMARY_URL, WEB_DIST: '/nonexistent', LIVE_KEY_PREFIX: prefix });
  const app = await buildApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  await until(() => (app.live.status() as { connected: boolean }).connected);
  return app;
}

async function open(app: FastifyInstance, path: string, lastEventId?: string): Promise<SseClient> {
  const client = await SseClient.open(`${base(app)}${path}`, lastEventId ? { 'last-event-id': lastEventId } : {});
  opened.push(client);
  return client;
}

const sheet = (number: number, c1: number, c2: number) => ({
  marks: [
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c1', value: c1 },
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c2', value: c2 },
  ],
});
async function mark(judge: number, number: number, c1 = 50, c2 = 30): Promise<void> {
  const res = await primary.inject({ method: 'POST', url: '/api/marks', payload: sheet(number, c1, c2), headers: { cookie: judges[judge]! } });
  expect(res.statusCode).toBe(200);
}

const rankings = (c: SseClient) => c.messages.filter((m) => m.event === 'ranking');
const shown = (ms: SseMessage[]) => ms.map((m) => `${m.event} ${m.id}`);
const health = async (app: FastifyInstance) => {
  const res = await app.inject({ method: 'GET', url: '/health' });
  return { status: res.statusCode, body: res.json() };
};

beforeAll(async () => {
  redis = await RedisServer.start();
  proxy = await TcpProxy.start(redis.port);
  inspect = new Redis(redis.url(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  inspect.on('error', () => {});
  dir = mkdtempSync(join(tmpdir(), 'skills-live-redis-'));
  primary = await startPrimary();
  s = makeScenario(primary, { entrants: 6, judgeCount: 5 });
  judges = await Promise.all(s.judgeCodes.map((c) => judgeLogin(primary, c)));
  relay = await startRelay();
}, 30_000);
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});
afterAll(async () => {
  await relay?.close();
  await primary?.close();
  inspect?.disconnect();
  await proxy?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('live updates through Redis: a primary and a relay', () => {
  it('a mark on the primary reaches clients on two relays, with the stream’s id; the relay serves the stored ranking and 404s', async () => {
    const second = await startRelay(redis.url());
    try {
      const client = await open(relay, eventLive());
      const other = await open(second, eventLive());
      const snap = await client.next('snapshot', 5000);
      expect(snap.data.rows).toHaveLength(6);
      expect(JSON.stringify(snap.data)).not.toContain('选手'); // no names before release, on a relay too
      await other.next('snapshot', 5000);

      await mark(0, 1);
      const update = await client.next('ranking', 3000);
      expect(update.id).toMatch(/^\d+-\d+$/);
      expect(update.data.rows.map((r: { number: number }) => r.number)).toEqual([1]);
      const [[lastId]] = (await inspect.xrevrange(`${PREFIX}{event:${s.eventId}}:stream`, '+', '-', 'COUNT', 1)) as [[string, string[]]];
      expect(update.id).toBe(lastId);
      // The same message, with the same id, on the second relay.
      const same = await other.next('ranking', 3000);
      expect([same.id, same.data]).toEqual([update.id, update.data]);
    } finally {
      await second.close();
    }

    // The public ranking as the primary stored it (at most half a second behind).
    await until(async () => {
      const res = await relay.inject({ method: 'GET', url: `/api/public/events/${s.eventId}/ranking` });
      return res.statusCode === 200 && res.json().rows.some((r: { number: number; parts: { marksIn: number }[] }) => r.number === 1 && r.parts.some((p) => p.marksIn > 0));
    });
    const comp = await relay.inject({ method: 'GET', url: `/api/public/competitions/${s.competitionId}/ranking` });
    expect(comp.statusCode).toBe(200);
    expect(comp.json().events[0].eventId).toBe(s.eventId);

    const missing = await relay.inject({ method: 'GET', url: '/api/public/events/999999/ranking' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'not_found' });
    await expect(SseClient.open(`${base(relay)}/api/public/events/999998/live`)).rejects.toThrow('404');
    const bad = await relay.inject({ method: 'GET', url: '/api/public/events/abc/ranking' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('params.id');
  });

  it('Last-Event-ID resumes on the other instance, and after restarting either, with exactly the missed messages', async () => {
    const first = await open(relay, eventLive());
    await first.next('snapshot', 5000);
    await mark(1, 1);
    const seen = await first.next('ranking', 3000);
    first.close();

    // Missed while away: two sheets (a client on the primary shows which messages they were).
    const watcher = await open(primary, eventLive());
    await watcher.next('snapshot');
    await mark(1, 2);
    await watcher.next('ranking', 3000);
    await mark(1, 3);
    await watcher.next('ranking', 3000);
    const missed = rankings(watcher);
    expect(missed).toHaveLength(2);

    const resumeOn = async (app: FastifyInstance) => {
      const client = await open(app, eventLive(), seen.id);
      await until(() => client.messages.length >= 2);
      await sleep(100);
      expect(shown(client.messages)).toEqual(shown(missed));
      client.close();
    };
    await resumeOn(primary);
    await resumeOn(relay);

    await relay.close();
    relay = await startRelay();
    await resumeOn(relay);

    await primary.close();
    primary = await startPrimary();
    await sleep(300); // its comparison of stored snapshots with the database is done by then
    await resumeOn(relay);
    await resumeOn(primary);

    // The restarted primary publishes the next mark as usual, to a client that resumed across it.
    const resumed = await open(relay, eventLive(), missed.at(-1)!.id);
    await mark(2, 2, 59, 39);
    const next = await resumed.next('ranking', 3000);
    expect(next.data.rows.map((r: { number: number }) => r.number)).toEqual([2]);
    expect(resumed.messages.map((m) => m.event)).toEqual(['ranking']);
  }, 30_000);

  it('a relay refuses writes, sign-ins and staff routes with 421 relay_read_only naming the primary', async () => {
    const cases = [
      { method: 'POST' as const, url: '/api/marks', payload: sheet(1, 50, 30) },
      { method: 'POST' as const, url: '/api/auth/judge-login', payload: { code: s.judgeCodes[0] } },
      { method: 'GET' as const, url: '/api/auth/session' },
      { method: 'GET' as const, url: `/api/events/${s.eventId}/ranking` },
      { method: 'PATCH' as const, url: `/api/events/${s.eventId}`, payload: { liveIncompleteOrder: 'by_total' } },
      { method: 'GET' as const, url: `/api/public/competitions/${s.competitionId}/results` },
      { method: 'GET' as const, url: `/api/public/events/${s.eventId}/ranking?roundId=${s.roundId + 1000}` },
    ];
    for (const c of cases) {
      const res = await relay.inject(c);
      expect(res.statusCode, `${c.method} ${c.url}`).toBe(421);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 421, code: 'relay_read_only', params: { primary: PRIMARY_URL } });
      expect(res.json().detail).toContain(PRIMARY_URL);
    }
    const h = await health(relay);
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ ok: true, role: 'relay', primary: PRIMARY_URL, live: { mode: 'redis', role: 'relay', connected: true } });
    expect(h.body.database).toBeUndefined();
    // The relay's configuration is checked like the primary's.
    expect(() => loadConfig({ APP_ROLE: 'relay', LIVE_URL: redis.url() })).toThrow(/PRIMARY_URL/);
    expect(() => loadConfig({ APP_ROLE: 'relay', PRIMARY_URL })).toThrow(/LIVE_URL/);
    expect(() => loadConfig({ LIVE_URL: 'http://127.0.0.1:6379' })).toThrow(/LIVE_URL: a redis:\/\//);
  });

  it('cut off from Redis, a relay says so and keeps its clients on their last ranking, then catches up by id', async () => {
    const client = await open(relay, eventLive());
    await client.next('snapshot', 5000);
    await mark(3, 4);
    // (The relay's snapshot may be up to a second old: the messages after it come first.)
    await waitFor(client, (m) => m.event === 'ranking' && m.data.rows.some((r: { number: number }) => r.number === 4), 3000);
    const had = client.messages.length;

    proxy.cut();
    await until(async () => (await health(relay)).status === 503);
    const h = await health(relay);
    expect(h.body).toMatchObject({ ok: false, live: { mode: 'redis', connected: false, message: 'connection to live updates lost' } });
    expect(Date.parse(h.body.live.since)).not.toBeNaN();
    expect((await health(primary)).body.live).toMatchObject({ connected: true });

    // Marks go on at the primary; the relay's client stays connected on what it had.
    const watcher = await open(primary, eventLive());
    await watcher.next('snapshot');
    await mark(3, 5);
    await mark(3, 6);
    await until(() => rankings(watcher).length === 2);
    await sleep(200);
    expect(relay.live.stats().clients).toBe(1);
    expect(client.messages).toHaveLength(had);
    // A newcomer still gets the relay's last snapshot.
    const newcomer = await open(relay, eventLive());
    expect((await newcomer.next('snapshot')).data.rows).toHaveLength(6);

    proxy.restore();
    await until(() => client.messages.length === had + 2, 10_000);
    expect(shown(client.messages.slice(had))).toEqual(shown(rankings(watcher)));
    expect(client.messages.filter((m) => m.event === 'snapshot')).toHaveLength(1);
    await until(async () => (await health(relay)).status === 200);
  }, 30_000);

  it('a relay that began following for a resuming client still starts newcomers from its last snapshot while cut off', async () => {
    const ownProxy = await TcpProxy.start(redis.port);
    const fresh = await startRelay(ownProxy.url());
    try {
      const watcher = await open(primary, eventLive());
      await watcher.next('snapshot');
      await mark(0, 5);
      const a = await watcher.next('ranking', 3000);
      await sleep(700); // the stored ranking now includes A …
      await mark(0, 6);
      const b = await watcher.next('ranking', 3000); // … and, for half a second, not B
      const resumed = await open(fresh, eventLive(), a.id);
      expect((await resumed.next('ranking', 3000)).id).toBe(b.id);
      await sleep(200);
      ownProxy.cut();
      await until(async () => (await health(fresh)).status === 503);
      const newcomer = await open(fresh, eventLive());
      const snap = await newcomer.next('snapshot', 3000);
      await sleep(100);
      // Its snapshot, and whatever came after it: the newcomer ends where the resumed client is.
      const after = newcomer.messages.slice(1);
      expect(after.map((m) => m.id)).toEqual(snap.id === b.id ? [] : [b.id]);
    } finally {
      await fresh.close();
      await ownProxy.close();
    }
  }, 30_000);

  it('with Redis gone the primary keeps taking marks, 200 with live disconnected; once back it publishes a fresh snapshot', async () => {
    const client = await open(relay, eventLive());
    await client.next('snapshot', 5000);
    await redis.kill();
    await until(async () => (await health(primary)).body.live.connected === false);
    const h = await health(primary);
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ ok: true, database: { read: true, write: true }, live: { mode: 'redis', role: 'primary', connected: false, message: 'connection to live updates lost' } });
    await until(async () => (await health(relay)).status === 503);

    const dropped = h.body.live.dropped;
    await mark(4, 1, 10, 5); // stored; its broadcast is dropped (counted), not queued
    await until(async () => (await health(primary)).body.live.dropped > dropped);
    expect(relay.live.stats().clients).toBe(1);

    await redis.start(); // empty: nothing was persisted
    const fresh = await client.next('snapshot', 10_000);
    expect(fresh.id).toMatch(/^\d+-\d+$/);
    const row = fresh.data.rows.find((r: { number: number }) => r.number === 1);
    expect(row.parts.find((p: { partId: string }) => p.partId === 'task1').marksIn).toBe(3);
    await until(async () => (await health(primary)).body.live.connected === true && (await health(relay)).status === 200, 10_000);

    // And on from there.
    await mark(4, 2, 10, 5);
    const next = await client.next('ranking', 3000);
    expect(next.data.rows.map((r: { number: number }) => r.number)).toEqual([2]);
  }, 30_000);

  it('while Redis stalls the primary keeps a bounded number of publishes waiting and drops the rest, counted; then a whole snapshot follows', async () => {
    const client = await open(relay, eventLive());
    await client.next('snapshot', 5000);
    const before = (await health(primary)).body.live.dropped;
    redis.pause();
    let dropped: number;
    try {
      for (let i = 0; i < 1500; i++) primary.live.publish(`event:${s.eventId}`, 'fill', { i });
      dropped = (primary.live.status() as { dropped: number }).dropped - before;
    } finally {
      redis.resume();
    }
    // At most 1,000 wait for Redis's answer; the rest were dropped at once rather than queued.
    expect(dropped).toBeGreaterThanOrEqual(500);
    const resync = await waitFor(client, (m) => m.event === 'snapshot' && m !== client.messages[0], 15_000);
    expect(resync.data.eventId).toBe(s.eventId);
    const fills = client.messages.filter((m) => m.event === 'fill');
    expect(fills.length).toBeLessThanOrEqual(1000);
    expect(client.messages.indexOf(resync)).toBeGreaterThan(client.messages.indexOf(fills.at(-1)!));
  }, 30_000);

  it('a relay cuts off a client that stops reading, as the in-process hub does; a reading one keeps up', async () => {
    relay.live.limits = { ...DEFAULT_LIVE_LIMITS, maxBacklogBytes: 64 * 1024 };
    try {
      const reader = await open(relay, eventLive());
      await reader.next('snapshot', 5000);
      const stalled = net.connect({ port: (relay.server.address() as net.AddressInfo).port, host: '127.0.0.1' });
      stalled.pause(); // never reads a byte
      stalled.on('error', () => {});
      stalled.write(`GET ${eventLive()} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
      await until(() => relay.live.stats().clients === 2);
      const cuts = relay.live.stats().cuts.backlog;
      const pad = 'x'.repeat(16 * 1024);
      for (let i = 0; i < 2000 && relay.live.stats().cuts.backlog === cuts; i++) {
        primary.live.publish(`event:${s.eventId}`, 'fill', { i, pad });
        await reader.next('fill', 3000);
        // Two turns of the event loop: the reader's finished writes have been reported ('drain') by then.
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setImmediate(r));
      }
      expect(relay.live.stats()).toMatchObject({ clients: 1, cuts: { backlog: cuts + 1 } });
      stalled.destroy();
    } finally {
      relay.live.limits = { ...DEFAULT_LIVE_LIMITS, maxClients: relay.live.limits.maxClients };
    }
  }, 60_000);

  it('trims each stream by length and by age, and lets idle keys expire', async () => {
    const trimming = (await buildApp(primaryConfig({ databasePath: join(dir, 'trim.sqlite'), liveKeyPrefix: 'trim:', liveStreamMaxLen: 50, liveStreamMaxAgeMs: 1000 }), {
      logger: false,
    })) as TestApp;
    try {
      await until(() => (trimming.live.status() as { connected: boolean }).connected);
      const key = 'trim:{event:4242}:stream';
      for (let i = 0; i < 1000; i++) trimming.live.publish('event:4242', 'fill', { i, pad: 'x'.repeat(200) });
      await until(async () => Number(await inspect.get('trim:{event:4242}:seq')) === 1000);
      // Approximate trimming (MAXLEN ~) removes whole nodes of at most 100 entries.
      const len = await inspect.xlen(key);
      expect(len).toBeGreaterThanOrEqual(50);
      expect(len).toBeLessThanOrEqual(150);
      expect(await inspect.pttl(key)).toBeGreaterThan(6 * 24 * 3600_000);
      expect(await inspect.pttl('trim:{event:4242}:seq')).toBeGreaterThan(6 * 24 * 3600_000);

      await sleep(1200);
      trimming.live.publish('event:4242', 'fill', { i: 1000 });
      await until(async () => Number(await inspect.get('trim:{event:4242}:seq')) === 1001);
      expect(await inspect.xlen(key)).toBeLessThanOrEqual(100);
      const [[, fields]] = (await inspect.xrevrange(key, '+', '-', 'COUNT', 1)) as [[string, string[]]];
      expect(fields.slice(0, 4)).toEqual(['n', '1001', 't', 'fill']);
    } finally {
      await trimming.close();
    }
  }, 30_000);

  it('a primary started before Redis is up answers relays once it is', async () => {
    const late = await RedisServer.start();
    await late.stop(); // its port, with nothing listening yet
    const early = (await buildApp(primaryConfig({ databasePath: join(dir, 'early.sqlite'), liveUrl: late.url(), liveKeyPrefix: 'early:' }), { logger: false })) as TestApp;
    try {
      const e = makeScenario(early, { entrants: 2, judgeCount: 3 });
      expect((await health(early)).body).toMatchObject({ ok: true, live: { connected: false, message: 'connection to live updates lost' } });
      await late.start();
      await until(() => (early.live.status() as { connected: boolean }).connected, 10_000);
      const lateRelay = await startRelay(late.url(), 'early:');
      try {
        const res = await lateRelay.inject({ method: 'GET', url: `/api/public/events/${e.eventId}/ranking` });
        expect(res.statusCode).toBe(200);
        expect(res.json().rows).toHaveLength(2);
      } finally {
        await lateRelay.close();
      }
    } finally {
      await early.close();
      await late.stop();
    }
  }, 30_000);

  it('a relay with no primary to make a snapshot answers 503 live_unavailable', async () => {
    const lonely = await startRelay(redis.url(), 'nobody:');
    try {
      const res = await lonely.inject({ method: 'GET', url: `/api/public/events/${s.eventId}/ranking` });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'live_unavailable' });
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      await lonely.close();
    }
  });
});
