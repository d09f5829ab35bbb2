import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventChannel } from '../../server/features/ranking/ranking.service.ts';
import { DEFAULT_LIVE_LIMITS } from '../../server/plugins/live.plugin.ts';
import { judgeLogin, makeScenario, newKey, type Scenario } from '../helpers/scenario.ts';
import { SseClient } from '../helpers/sse-client.ts';
import { buildTestApp, call, type TestApp } from '../helpers/test-app.ts';

// What a client that does not read can hold, measured with real sockets: the kernel's buffers take
// the first few MB of a stalled stream, so only many large messages make the process queue any.
let app: TestApp;
let port: number;
let s: Scenario;
let judges: string[];
const opened: (net.Socket | SseClient)[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Two turns of the event loop: finished socket writes have been reported (and 'drain' emitted) by then. */
const settle = async () => {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
};
const livePath = () => `/api/public/events/${s.eventId}/live`;
const liveUrl = () => `http://127.0.0.1:${port}${livePath()}`;

async function until(test: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** A client that sends its request and then never reads a byte. */
async function stalledClient(): Promise<net.Socket> {
  const clients = app.live.stats().clients;
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.pause(); // before it connects: Node does not read even into its own buffer
  socket.on('error', () => {}); // the server resets it
  socket.write(`GET ${livePath()} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
  opened.push(socket);
  await until(() => app.live.stats().clients > clients);
  return socket;
}

/** Starts reading a stalled client: what the server had sent before closing it, once it is closed. */
function readToClose(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('the server did not close the connection')), 3000);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.resume();
  });
}

const PAD = 'x'.repeat(16 * 1024);
let fillSeq = 0;

/**
 * Publishes 16 KB messages on the event's channel until `done`, each one read by `reader` before
 * the next: a client that reads keeps up throughout. Returns the bytes published.
 */
async function fill(reader: SseClient, done: () => boolean, pauseMs = 0): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < 3000 && !done(); i++) {
    app.live.publish(eventChannel(s.eventId), 'fill', { seq: ++fillSeq, pad: PAD });
    bytes += PAD.length;
    await reader.next('fill');
    await settle();
    if (pauseMs) await sleep(pauseMs);
  }
  if (!done()) throw new Error(`still not done after ${bytes} bytes`);
  return bytes;
}

async function openReader(): Promise<SseClient> {
  const reader = await SseClient.open(liveUrl());
  opened.push(reader);
  await reader.next('snapshot');
  return reader;
}

const sheet = (number: number) => ({
  marks: [
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c1', value: 50 },
    { idempotencyKey: newKey(), number, partId: 'task1', criterionId: 'c2', value: 30 },
  ],
});

beforeAll(async () => {
  app = await buildTestApp();
  s = makeScenario(app, { entrants: 4, judgeCount: 3 });
  judges = await Promise.all(s.judgeCodes.map((c) => judgeLogin(app, c)));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as net.AddressInfo).port;
});
afterEach(async () => {
  for (const c of opened.splice(0)) if (c instanceof net.Socket) c.destroy();
  else c.close();
  await until(() => app.live.stats().clients === 0);
  app.live.limits = { ...DEFAULT_LIVE_LIMITS };
});
afterAll(() => app.close());

describe('live streams bound what a client that does not read can hold', () => {
  it('cuts off a client backed up by more than its byte limit; a reading client keeps receiving', async () => {
    app.live.limits = { ...DEFAULT_LIVE_LIMITS, maxBacklogBytes: 64 * 1024 };
    const reader = await openReader();
    const stalled = await stalledClient();
    const cutsBefore = app.live.stats().cuts.backlog;

    const sent = await fill(reader, () => app.live.stats().cuts.backlog > cutsBefore);
    expect(app.live.stats().clients).toBe(1);
    // Nothing more is queued for it: the next message goes to the reader only.
    app.live.publish(eventChannel(s.eventId), 'fill', { seq: ++fillSeq, pad: 'after the cut' });
    await reader.next('fill');
    const received = await readToClose(stalled);
    expect(received).toContain('event: snapshot');
    expect(received).not.toContain('after the cut');
    expect(received.length).toBeLessThan(sent);

    // Marks still reach the reader.
    for (const judge of judges) expect((await call(app, judge, { method: 'POST', url: '/api/marks', payload: sheet(1) })).statusCode).toBe(200);
    const update = await reader.next('ranking');
    expect(update.data.rows.map((r: { number: number }) => r.number)).toContain(1);
  });

  it('replays what a reconnecting client missed, or sends a snapshot when that is more than a backlog', async () => {
    app.live.limits = { ...DEFAULT_LIVE_LIMITS, maxBacklogBytes: 64 * 1024 };
    const reader = await openReader();
    await fill(reader, () => reader.messages.filter((m) => m.event === 'fill').length >= 10);
    const fills = reader.messages.filter((m) => m.event === 'fill');

    // (A ranking broadcast of the marks above may still come: only `fill` and `snapshot` are looked at.)
    const shown = (c: SseClient) => c.messages.filter((m) => m.event !== 'ranking').map((m) => `${m.event} ${m.id}`);

    // One message behind: replayed.
    const near = await SseClient.open(liveUrl(), { 'last-event-id': fills.at(-2)!.id! });
    opened.push(near);
    await near.next('fill');
    await sleep(50);
    expect(shown(near)).toEqual([`fill ${fills.at(-1)!.id}`]);

    // Nine messages (144 KB) behind, more than the 64 KB a client may fall behind by: a snapshot.
    const far = await SseClient.open(liveUrl(), { 'last-event-id': fills.at(-10)!.id! });
    opened.push(far);
    await far.next('snapshot');
    await sleep(50);
    expect(shown(far)).toEqual([expect.stringMatching(/^snapshot /)]);
  });

  it('cuts off a client that stays backed up longer than the time limit', async () => {
    app.live.limits = { ...DEFAULT_LIVE_LIMITS, maxBacklogBytes: 1 << 30, maxStallMs: 300 };
    const reader = await openReader();
    const stalled = await stalledClient();
    const { cuts } = app.live.stats();
    await fill(reader, () => app.live.stats().cuts.stall > cuts.stall, 5);
    await readToClose(stalled);
    expect(app.live.stats()).toMatchObject({ clients: 1, cuts: { ...cuts, stall: cuts.stall + 1 } });
  });

  it('over the total, cuts the client backed up longest first', async () => {
    app.live.limits = { ...DEFAULT_LIVE_LIMITS, maxBacklogBytes: 1 << 30 };
    const reader = await openReader();
    const first = await stalledClient();
    await fill(reader, () => app.live.stats().backedUp === 1);
    await sleep(20);
    const second = await stalledClient();
    await fill(reader, () => app.live.stats().backedUp === 2);
    // All that `first` was sent while `second` filled its kernel buffers is queued in the process.
    const { queuedBytes, cuts } = app.live.stats();
    expect(queuedBytes).toBeGreaterThan(256 * 1024);

    app.live.limits.maxQueuedBytes = queuedBytes;
    await fill(reader, () => app.live.stats().cuts.total > cuts.total);
    await readToClose(first);
    expect(app.live.stats()).toMatchObject({ clients: 2, backedUp: 1, cuts: { total: cuts.total + 1 } });
    expect(second.destroyed).toBe(false);
  });

  it('refuses a stream over the connection cap with 503 live_capacity and Retry-After', async () => {
    app.live.limits = { ...DEFAULT_LIVE_LIMITS, maxClients: 2 };
    const one = await openReader();
    await openReader();
    const refused = await fetch(liveUrl());
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe(String(DEFAULT_LIVE_LIMITS.retryAfterSeconds));
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 503, code: 'live_capacity' });

    one.close();
    await until(() => app.live.stats().clients === 1);
    await openReader();
  });

  it('closes promptly with a backed-up client still connected', async () => {
    app.live.limits = { ...DEFAULT_LIVE_LIMITS, maxBacklogBytes: 1 << 30 };
    const reader = await openReader();
    const stalled = await stalledClient();
    await fill(reader, () => app.live.stats().backedUp === 1);
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await readToClose(stalled);
  });
});
