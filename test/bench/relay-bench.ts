/**
 * `npm run bench:relay [-- --relays 2 --clients 2000 --rate 10 --seconds 20 --workers 2]` — live
 * fan-out beyond one machine, as in README "Deployment with relays": a redis-server of its own,
 * one primary (server/main.ts, file database, LIVE_URL) and `relays` relays (APP_ROLE=relay), each
 * in its own process; `clients` SSE clients per relay on an event's stream, spread over `workers`
 * client processes per relay (so the clients' own parsing does not slow the servers' clock); judges
 * submit `rate` sheets a second for `seconds` seconds through the primary's API.
 *
 * `--inprocess`: the embedded default instead — one instance, no Redis, `clients` clients on it.
 * `npm run bench:fanout` runs both with 3,000 clients in all (2 relays × 1,500, then one instance
 * × 3,000), so the two figures stand side by side.
 *
 * Prints the delivery latency from sending a sheet to each client having the changed row (median,
 * p95, max over every client × sheet), the same for the last client of each sheet, what was not
 * delivered, and memory (RSS, peak) of each instance and of Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { openDb } from '../../db/client.ts';
import { migrateDb } from '../../db/migrate.ts';
import { systemClock } from '../../server/clock.ts';
import { RedisServer } from '../helpers/redis-server.ts';
import { makeScenario } from '../helpers/scenario.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { freePort, request, SECRET } from './bench-helpers.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const now = () => performance.timeOrigin + performance.now();

// ---- A client process: `count` SSE clients on one relay ----

async function clientWorker() {
  const port = arg('port', 0);
  const count = arg('count', 0);
  const path = args[args.indexOf('--path') + 1]!;
  /** `${number}:${marksIn}` → when each client had it. */
  const received = new Map<string, number[]>();
  let ready = 0;
  const requests: http.ClientRequest[] = [];
  type Row = { number: number; parts: { partId: string; marksIn: number }[] };
  const parsed = new Map<string, Row[]>();

  function openOne(): Promise<void> {
    return new Promise((resolve, reject) => {
      const seen = new Map<number, number>();
      let buffer = '';
      let first = true;
      const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const type = /^event: (.*)$/m.exec(block)?.[1];
            if (type !== 'snapshot' && type !== 'ranking') continue;
            const id = /^id: (.*)$/m.exec(block)?.[1] ?? '';
            // Every client of this process gets the same message: parsed once (this process's
            // time should go to reading sockets, as a phone's would).
            let rows = parsed.get(`${type} ${id}`);
            if (!rows) {
              const data = /^data: (.*)$/m.exec(block)?.[1];
              if (!data) continue;
              rows = (JSON.parse(data) as { rows: Row[] }).rows;
              parsed.set(`${type} ${id}`, rows);
              if (parsed.size > 100) parsed.delete(parsed.keys().next().value!);
            }
            for (const row of rows) {
              const marksIn = row.parts.find((p) => p.partId === 'task1')?.marksIn ?? 0;
              // Sheets that arrived within one broadcast show up together: each counts as delivered now.
              for (let k = (seen.get(row.number) ?? 0) + 1; k <= marksIn; k++) {
                if (type === 'ranking') {
                  const key = `${row.number}:${k}`;
                  let list = received.get(key);
                  if (!list) received.set(key, (list = []));
                  list.push(at);
                }
              }
              seen.set(row.number, Math.max(seen.get(row.number) ?? 0, marksIn));
            }
            if (first && type === 'snapshot') {
              first = false;
              resolve();
            }
          }
        });
      });
      req.on('error', reject);
      requests.push(req);
    });
  }

  const started = performance.now();
  for (let i = 0; i < count; i += 100) await Promise.all(Array.from({ length: Math.min(100, count - i) }, openOne));
  ready = count;
  process.send!({ type: 'ready', ready, seconds: (performance.now() - started) / 1000 });
  process.on('message', (msg: { type: string; sent: Record<string, number>; acked: Record<string, number> }) => {
    if (msg.type !== 'finish') return;
    const latencies: number[] = [];
    const fromAck: number[] = [];
    const lastByKey: Record<string, { max: number; count: number }> = {};
    for (const [key, sentAt] of Object.entries(msg.sent)) {
      const list = received.get(key) ?? [];
      const ackedAt = msg.acked[key] ?? sentAt;
      let max = 0;
      for (const at of list) {
        const ms = Math.round((at - sentAt) * 100) / 100;
        latencies.push(ms);
        fromAck.push(Math.max(0, Math.round((at - ackedAt) * 100) / 100));
        max = Math.max(max, ms);
      }
      lastByKey[key] = { max, count: list.length };
    }
    for (const r of requests) r.destroy();
    process.send!({ type: 'result', latencies, fromAck, lastByKey }, () => process.exit(0));
  });
}

// ---- The benchmark ----

type Instance = { name: string; port: number; child: ChildProcess };

/** A process's memory now and its peak (VmHWM), in MB. */
function rss(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: mb('VmRSS'), peak: mb('VmHWM') };
}

async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEMO: 'false', SESSION_SECRET: SECRET, LOG_LEVEL: 'warn', WEB_DIST: '/nonexistent', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await request(port, 'GET', '/health').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { name, port, child };
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${name} did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** CPU seconds a process has used (user + system). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');

type Options = { relays: number; clients: number; rate: number; seconds: number; workers: number; inProcess: boolean };

async function main({ relays: RELAYS, clients: CLIENTS, rate: RATE, seconds: SECONDS, workers: WORKERS, inProcess }: Options) {
  const JUDGES = 5;
  const sheets = RATE * SECONDS;
  const ENTRANTS = Math.max(20, Math.ceil(sheets / JUDGES));

  const dir = mkdtempSync(join(tmpdir(), 'skills-relay-bench-'));
  const dbPath = join(dir, 'bench.sqlite');
  const db = openDb(dbPath);
  migrateDb(db);
  const s = makeScenario({ db, sessionSecret: SECRET, clock: systemClock } as unknown as TestApp, { entrants: ENTRANTS, judgeCount: JUDGES });
  db.$client.close();

  const redis = inProcess ? null : await RedisServer.start();
  const instances: Instance[] = [];
  const workers: ChildProcess[] = [];
  try {
    const primary = await startInstance(
      'primary',
      redis ? { DATABASE_PATH: dbPath, LIVE_URL: redis.url() } : { DATABASE_PATH: dbPath, LIVE_MAX_CLIENTS: String(CLIENTS + 100) },
    );
    instances.push(primary);
    // The instances the clients follow: the relays, or the one instance of the embedded default.
    const served = () => (redis ? instances.slice(1) : instances);
    for (let i = 1; redis && i <= RELAYS; i++)
      instances.push(
        await startInstance(`relay ${i}`, {
          APP_ROLE: 'relay',
          LIVE_URL: redis.url(),
          PRIMARY_URL: `http://127.0.0.1:${primary.port}`,
          LIVE_MAX_CLIENTS: String(CLIENTS + 100),
        }),
      );
    const cookies: string[] = [];
    for (const code of s.judgeCodes) {
      const res = await request(primary.port, 'POST', '/api/auth/judge-login', { code });
      cookies.push(String(res.headers['set-cookie']?.[0]).split(';')[0]!);
    }
    const inspect = redis ? new Redis(redis.url()) : null;
    const redisMb = async () => (inspect ? Number(/used_memory:(\d+)/.exec(await inspect.info('memory'))?.[1] ?? 0) / 1024 / 1024 : 0);
    const memory = async (label: string) => {
      const parts = instances.map((i) => {
        const m = rss(i.child.pid!);
        return `${i.name} ${fmt(m.rss)} MB (peak ${fmt(m.peak)})`;
      });
      console.log(`${label.padEnd(30)} ${parts.join(' · ')}${inspect ? ` · redis ${fmt(await redisMb())} MB` : ''}`);
    };
    const SERVED = served().length;
    console.log(
      redis
        ? `1 primary + ${RELAYS} relays, ${CLIENTS} SSE clients per relay (${RELAYS * CLIENTS} in all, ${WORKERS} client processes per relay), ${RATE} sheets/s for ${SECONDS} s (${sheets} sheets), event of ${ENTRANTS} entrants; ${process.env.CI ? 'CI' : 'this machine'}: node ${process.version}\n`
        : `in-process (embedded default, no Redis): 1 instance, ${CLIENTS} SSE clients on it (${WORKERS} client processes), ${RATE} sheets/s for ${SECONDS} s (${sheets} sheets), event of ${ENTRANTS} entrants; node ${process.version}\n`,
    );
    await memory('idle');

    // Clients.
    const path = `/api/public/events/${s.eventId}/live`;
    const self = fileURLToPath(import.meta.url);
    const started = performance.now();
    const ready = await Promise.all(
      served().flatMap((relay) =>
        Array.from({ length: WORKERS }, (_, w) => {
          const count = Math.floor(CLIENTS / WORKERS) + (w < CLIENTS % WORKERS ? 1 : 0);
          const child = spawn(process.execPath, ['--import', 'tsx', self, '--worker', '--port', String(relay.port), '--count', String(count), '--path', path], {
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          });
          workers.push(child);
          return new Promise<{ ready: number; seconds: number }>((resolve, reject) => {
            child.on('message', (m: { type: string; ready: number; seconds: number }) => m.type === 'ready' && resolve(m));
            child.on('exit', (code) => code && reject(new Error(`client process exited with ${code}`)));
          });
        }),
      ),
    );
    console.log(
      `${ready.reduce((a, r) => a + r.ready, 0)} clients connected, snapshot received, in ${fmt(Math.max(...ready.map((r) => r.seconds)))} s (100 at a time per client process; ${fmt((performance.now() - started) / 1000)} s with starting those)`,
    );
    await memory('clients connected');

    // Marks: one sheet at a time, at a steady rate, number by number, each judge in turn.
    const redisCpu = () => (redis ? cpuSeconds(redis.pid!) : 0);
    const cpuBefore = [...instances.map((i) => cpuSeconds(i.child.pid!)), ...workers.map((w) => cpuSeconds(w.pid!)), redisCpu()];
    const wallBefore = now();
    const sent: Record<string, number> = {};
    const acked: Record<string, number> = {};
    const ackMs: number[] = [];
    let failures = 0;
    const t0 = now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < sheets; i++) {
      const number = Math.floor(i / JUDGES) + 1;
      const judge = i % JUDGES;
      const due = t0 + (i * 1000) / RATE;
      const wait = due - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const body = {
        marks: [
          { idempotencyKey: `relay-bench-${i}`, number, partId: 'task1', criterionId: 'c1', value: 30 + ((number * 7 + judge * 3) % 30) },
          { idempotencyKey: `relay-bench-${i}-2`, number, partId: 'task1', criterionId: 'c2', value: 20 + ((number + judge) % 20) },
        ],
      };
      const at = now();
      sent[`${number}:${judge + 1}`] = at;
      inFlight.push(
        request(primary.port, 'POST', '/api/marks', body, cookies[judge]).then((res) => {
          acked[`${number}:${judge + 1}`] = now();
          ackMs.push(now() - at);
          if (res.status !== 200) failures++;
        }),
      );
      if (i === Math.floor(sheets / 2)) await memory('under load (half way)');
    }
    await Promise.all(inFlight);
    await new Promise((r) => setTimeout(r, 3000));
    const wall = (now() - wallBefore) / 1000;
    const cpuAfter = [...instances.map((i) => cpuSeconds(i.child.pid!)), ...workers.map((w) => cpuSeconds(w.pid!)), redisCpu()];
    const share = (k: number) => `${fmt((100 * (cpuAfter[k]! - cpuBefore[k]!)) / wall)} %`;
    const clientsCpu = workers.reduce((sum, _, w) => sum + cpuAfter[instances.length + w]! - cpuBefore[instances.length + w]!, 0);
    const cpuLine = `CPU while marking (${fmt(wall)} s, % of one core): ${instances.map((i, k) => `${i.name} ${share(k)}`).join(' · ')}${redis ? ` · redis ${share(cpuAfter.length - 1)}` : ''} · client processes ${fmt((100 * clientsCpu) / wall)} % (${cpus().length} cores on this machine)`;
    await memory('after the last sheet');
    const health = await Promise.all(
      instances.map(async (i) => JSON.parse((await request(i.port, 'GET', '/health')).body) as { live: { clients: number; dropped?: number } }),
    );

    // Results.
    const results = await Promise.all(
      workers.map(
        (child) =>
          new Promise<{ latencies: number[]; fromAck: number[]; lastByKey: Record<string, { max: number; count: number }> }>((resolve) => {
            child.on('message', (m: { type: string; latencies: number[]; fromAck: number[]; lastByKey: Record<string, { max: number; count: number }> }) => m.type === 'result' && resolve(m));
            child.send({ type: 'finish', sent, acked });
          }),
      ),
    );
    const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const afterAck = results.flatMap((r) => r.fromAck).sort((a, b) => a - b);
    const perSheet: number[] = [];
    let incomplete = 0;
    for (const key of Object.keys(sent)) {
      const counts = results.map((r) => r.lastByKey[key] ?? { max: 0, count: 0 });
      const delivered = counts.reduce((a, c) => a + c.count, 0);
      if (delivered < SERVED * CLIENTS) incomplete++;
      perSheet.push(Math.max(...counts.map((c) => c.max)));
    }
    perSheet.sort((a, b) => a - b);
    ackMs.sort((a, b) => a - b);
    const expected = sheets * SERVED * CLIENTS;
    console.log(`\nsheets: ${sheets}, failures ${failures}; request (commit acknowledged): median ${fmt(pct(ackMs, 50))} ms, p95 ${fmt(pct(ackMs, 95))} ms`);
    console.log(`deliveries: ${all.length} of ${expected} (${fmt((100 * all.length) / expected)} %); sheets not seen by every client: ${incomplete}`);
    console.log(`sheet sent → a client has the row:        median ${fmt(pct(all, 50))} ms, p95 ${fmt(pct(all, 95))} ms, max ${fmt(all.at(-1) ?? NaN)} ms`);
    console.log(`commit acknowledged → a client has the row: median ${fmt(pct(afterAck, 50))} ms, p95 ${fmt(pct(afterAck, 95))} ms, max ${fmt(afterAck.at(-1) ?? NaN)} ms`);
    console.log(`sheet sent → a client has the row, p99:   ${fmt(pct(all, 99))} ms`);
    console.log(`sheet sent → the last of ${SERVED * CLIENTS} clients has it: median ${fmt(pct(perSheet, 50))} ms, p95 ${fmt(pct(perSheet, 95))} ms, p99 ${fmt(pct(perSheet, 99))} ms, max ${fmt(perSheet.at(-1) ?? NaN)} ms`);
    console.log(cpuLine);
    console.log(`load average (1 min) at the end: ${loadavg()[0]!.toFixed(1)}: anything else running on the machine shows in the latencies`);
    if (inspect) {
      const stream = await inspect.xlen(`skills:live:{event:${s.eventId}}:stream`);
      console.log(`event stream length in Redis: ${stream} (LIVE_STREAM_MAXLEN 1000, approximate)`);
    }
    // Only the Redis hub can drop a publish (while Redis does not answer); the in-process hub has none to drop.
    instances.forEach((i, n) => {
      const { clients, dropped } = health[n]!.live;
      console.log(`${i.name}: ${clients} streams open at the end${dropped === undefined ? '' : `, ${dropped} messages dropped`}`);
    });
    inspect?.disconnect();
  } finally {
    for (const w of workers) w.kill();
    for (const i of instances) i.child.kill('SIGTERM');
    await Promise.all(instances.map((i) => new Promise((r) => (i.child.exitCode !== null ? r(null) : i.child.once('exit', r)))));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const options: Options = {
  relays: arg('relays', 2),
  clients: arg('clients', 2000),
  rate: arg('rate', 10),
  seconds: arg('seconds', 20),
  workers: arg('workers', 2),
  inProcess: args.includes('--inprocess'),
};
if (args.includes('--worker')) await clientWorker();
else if (args.includes('--fanout')) {
  // Issue 14's figure: 3,000 clients over 2 relays, beside 3,000 on the embedded default's one instance.
  const total = arg('total', 3000);
  console.log(`=== through Redis: 1 primary + 2 relays, ${total} clients ===`);
  await main({ ...options, relays: 2, clients: Math.ceil(total / 2), inProcess: false });
  console.log(`\n=== in-process: 1 instance, ${total} clients ===`);
  await main({ ...options, clients: total, workers: 2 * options.workers, inProcess: true });
} else await main(options);
