/**
 * `npm run bench` — measures the marks path end to end on this machine:
 *   1. mark submission throughput and latency through the real HTTP server (auth, validation,
 *      idempotency, audit, ranking, broadcast), sheets of 20 marks and single marks;
 *   2. the time from a mark's request to all 200 connected SSE clients receiving the update;
 *   3. ranking time for 1,000 entries × 5 judges × 20 criteria (100,000 marks);
 *   4. server memory (RSS) sampled while marks keep arriving (`--soak <seconds>`, default 60).
 * The server runs in its own process (as in production) on a file database with WAL and
 * synchronous=FULL; the load generator and the SSE clients run in this process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../db/client.ts';
import { migrateDb } from '../../db/migrate.ts';
import { schemeSchema, type SchemeInput } from '../../server/contracts/scheme.ts';
import { computeRanking, type EntryInput, type MarkInput } from '../../server/domain/index.ts';
import { systemClock } from '../../server/clock.ts';
import { makeScenario } from '../helpers/scenario.ts';
import { agent, freePort, request, rssMb, SECRET, startServer } from './bench-helpers.ts';
import type { TestApp } from '../helpers/test-app.ts';

const args = process.argv.slice(2);
const soakSeconds = Number(args[args.indexOf('--soak') + 1] ?? 0) || 60;
const ENTRIES = 1000;
const JUDGES = 5;
const CRITERIA = 20;

const scheme: SchemeInput = {
  totaling: 'weighted',
  parts: [
    {
      id: 'task1',
      name: '实操',
      role: 'practical',
      weight: 100,
      max: 100,
      marking: 'rubric',
      criteria: Array.from({ length: CRITERIA }, (_, i) => ({ id: `c${i + 1}`, name: `评分项${i + 1}`, max: 5, step: 0.5 })),
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      minMarks: 3,
      expectedMarks: JUDGES,
    },
  ],
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const fmt = (n: number) => n.toFixed(2);

type Sheet = { judge: number; number: number };
let keySeq = 0;
function sheetBody(s: Sheet, single?: number) {
  const criteria = single === undefined ? Array.from({ length: CRITERIA }, (_, i) => i) : [single];
  return {
    marks: criteria.map((i) => ({
      idempotencyKey: `bench-${process.pid}-${++keySeq}`,
      number: s.number,
      partId: 'task1',
      criterionId: `c${i + 1}`,
      value: ((s.number * 7 + s.judge * 3 + i) % 11) * 0.5,
    })),
  };
}

/** Runs `jobs` with `concurrency` requests in flight; returns per-request latencies and wall time. */
async function drive(jobs: (() => Promise<number>)[], concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const t = performance.now();
        const status = await job();
        latencies.push(performance.now() - t);
        if (status !== 200) failures++;
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, failures };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'skills-bench-'));
  const dbPath = join(dir, 'bench.sqlite');
  const db = openDb(dbPath);
  migrateDb(db);
  const s = makeScenario({ db, sessionSecret: SECRET, clock: systemClock } as unknown as TestApp, { entrants: ENTRIES, judgeCount: JUDGES, scheme });
  db.$client.close();

  const port = await freePort();
  const server = await startServer(port, dbPath);
  const cookies: string[] = [];
  for (const code of s.judgeCodes) {
    const res = await request(port, 'POST', '/api/auth/judge-login', { code });
    cookies.push(String(res.headers['set-cookie']?.[0]).split(';')[0]!);
  }
  const idleRss = rssMb(server.pid!);
  console.log(`server pid ${server.pid}, idle RSS ${fmt(idleRss)} MB; event of ${ENTRIES} entries × ${JUDGES} judges × ${CRITERIA} criteria\n`);

  // 1a. Sheets of 20 marks: judges 1–4 mark every entry (4,000 sheets, 80,000 marks).
  const sheets: Sheet[] = [];
  for (let n = 1; n <= ENTRIES; n++) for (let j = 0; j < JUDGES - 1; j++) sheets.push({ judge: j, number: n });
  const sheetJobs = sheets.map((sh) => async () => (await request(port, 'POST', '/api/marks', sheetBody(sh), cookies[sh.judge])).status);
  const r1 = await drive(sheetJobs, 8);
  const marks1 = sheets.length * CRITERIA;
  console.log('1a. submit sheets of 20 marks (8 in flight)');
  console.log(`    ${sheets.length} requests, ${marks1} marks in ${fmt(r1.seconds)} s = ${Math.round(marks1 / r1.seconds)} marks/s; failures ${r1.failures}`);
  console.log(`    request latency p50 ${fmt(pct(r1.latencies, 50))} ms, p99 ${fmt(pct(r1.latencies, 99))} ms, max ${fmt(Math.max(...r1.latencies))} ms`);

  // 1b. Single-mark requests: judge 5 marks all 20 criteria of entries 1–200 one by one (4,000 requests).
  const singles: (() => Promise<number>)[] = [];
  for (let n = 1; n <= 200; n++)
    for (let c = 0; c < CRITERIA; c++) singles.push(async () => (await request(port, 'POST', '/api/marks', sheetBody({ judge: JUDGES - 1, number: n }, c), cookies[JUDGES - 1])).status);
  const r2 = await drive(singles, 8);
  console.log('1b. submit single marks (8 in flight)');
  console.log(`    ${singles.length} marks in ${fmt(r2.seconds)} s = ${Math.round(singles.length / r2.seconds)} marks/s; failures ${r2.failures}`);
  console.log(`    request latency p50 ${fmt(pct(r2.latencies, 50))} ms, p99 ${fmt(pct(r2.latencies, 99))} ms`);

  // 1c. Retries: the same 500 single-mark bodies sent again are answered from the idempotency key.
  const retryBodies = Array.from({ length: 500 }, (_, i) => sheetBody({ judge: JUDGES - 1, number: 201 + i }, 0));
  await drive(retryBodies.map((b) => async () => (await request(port, 'POST', '/api/marks', b, cookies[JUDGES - 1])).status), 8);
  const r3 = await drive(
    retryBodies.map((b) => async () => {
      const res = await request(port, 'POST', '/api/marks', b, cookies[JUDGES - 1]);
      return res.body.includes('"duplicate"') ? res.status : 500;
    }),
    8,
  );
  console.log(`1c. retried marks: ${retryBodies.length} answered as duplicates, failures ${r3.failures}, p99 ${fmt(pct(r3.latencies, 99))} ms`);

  // 2. Fan-out: 200 SSE clients on the event stream; time from sending a mark to all 200 having the update.
  const clients: http.ClientRequest[] = [];
  const received: number[][] = [];
  await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      new Promise<void>((resolve) => {
        received[i] = [];
        const req = http.get({ host: '127.0.0.1', port, path: `/api/public/events/${s.eventId}/live`, headers: { accept: 'text/event-stream' } }, (res) => {
          res.setEncoding('utf8');
          let snapshotSeen = false;
          res.on('data', (chunk: string) => {
            if (!snapshotSeen && chunk.includes('event: snapshot')) {
              snapshotSeen = true;
              resolve();
            }
            if (chunk.includes('event: ranking')) received[i]!.push(performance.now());
          });
        });
        clients.push(req);
      }),
    ),
  );
  const fanout: number[] = [];
  const fanoutAck: number[] = [];
  for (let k = 0; k < 200; k++) {
    const before = received.map((r) => r.length);
    const sent = performance.now();
    // The fifth judge's full sheet for an entry the other four have marked: its score must change.
    const body = sheetBody({ judge: JUDGES - 1, number: 701 + k });
    for (const m of body.marks) m.value = 5;
    const res = await request(port, 'POST', '/api/marks', body, cookies[JUDGES - 1]);
    const acked = performance.now();
    if (res.status !== 200) throw new Error(res.body);
    const deadline = performance.now() + 2000;
    while (received.some((r, i) => r.length <= before[i]!) && performance.now() < deadline) await new Promise((r) => setImmediate(r));
    const last = Math.max(...received.map((r, i) => r[before[i]!] ?? Infinity));
    fanout.push(last - sent);
    fanoutAck.push(Math.max(0, last - acked));
    await new Promise((r) => setTimeout(r, 25));
  }
  console.log('2.  committed mark → all 200 SSE clients have the ranking update (200 marks, one at a time)');
  console.log(`    from request sent: p50 ${fmt(pct(fanout, 50))} ms, p99 ${fmt(pct(fanout, 99))} ms, max ${fmt(Math.max(...fanout))} ms`);
  console.log(`    after the commit was acknowledged: p50 ${fmt(pct(fanoutAck, 50))} ms, p99 ${fmt(pct(fanoutAck, 99))} ms`);
  for (const c of clients) c.destroy();

  // 3. Ranking 100,000 marks with the engine alone.
  const parsed = schemeSchema.parse(scheme);
  const entries: EntryInput[] = Array.from({ length: ENTRIES }, (_, i) => ({ entryId: i + 1, status: 'checked_in', completionSeconds: 600 + (i % 97) }));
  const marks: MarkInput[] = [];
  for (const e of entries)
    for (let j = 1; j <= JUDGES; j++)
      for (let c = 1; c <= CRITERIA; c++) marks.push({ entryId: e.entryId, judgeId: j, partId: 'task1', criterionId: `c${c}`, value: ((e.entryId * 7 + j * 3 + c) % 11) * 0.5 });
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    computeRanking(parsed, entries, marks);
    times.push(performance.now() - t);
  }
  console.log(`3.  ranking ${marks.length} marks (${ENTRIES} entries): p50 ${fmt(pct(times.slice(5), 50))} ms, p99/max ${fmt(Math.max(...times.slice(5)))} ms (first run ${fmt(times[0]!)} ms)`);

  // 4. Memory under steady load: half the requests are chief-judge corrections (new mark versions:
  //    auth, validation, audit, re-ranking, broadcast), half are retries answered from idempotency keys.
  console.log(`4.  server RSS under ~1,000 requests/s (corrections + retries) for ${soakSeconds} s (idle ${fmt(idleRss)} MB):`);
  const chief = String((await request(port, 'POST', '/api/auth/judge-login', { code: s.chiefCode })).headers['set-cookie']?.[0]).split(';')[0]!;
  const soakStart = performance.now();
  let n = 0;
  let nextSample = 0;
  let soakFailures = 0;
  const samples: number[] = [];
  const heap: number[] = [];
  while ((performance.now() - soakStart) / 1000 < soakSeconds) {
    const batchStart = performance.now();
    const r = await drive(
      Array.from({ length: 100 }, () => {
        const k = n++;
        return k % 2 === 0
          ? async () => (await request(port, 'POST', `/api/marks/${1 + ((k * 7919) % marks1)}/correct`, { value: (k % 11) * 0.5, reason: '复核更正' }, chief)).status
          : async () => (await request(port, 'POST', '/api/marks', retryBodies[k % retryBodies.length], cookies[JUDGES - 1])).status;
      }),
      4,
    );
    soakFailures += r.failures;
    const elapsed = (performance.now() - soakStart) / 1000;
    if (elapsed >= nextSample) {
      samples.push(rssMb(server.pid!));
      const health = JSON.parse((await request(port, 'GET', '/health')).body) as { heapUsedMb: number };
      heap.push(health.heapUsedMb);
      console.log(`    t=${Math.round(elapsed)} s RSS ${fmt(samples[samples.length - 1]!)} MB, JS heap used ${health.heapUsedMb} MB`);
      nextSample += Math.max(5, soakSeconds / 12);
    }
    const spare = 100 - (performance.now() - batchStart);
    if (spare > 0) await new Promise((r) => setTimeout(r, spare));
  }
  console.log(`    ${n} requests, failures ${soakFailures}`);
  const firstHalf = samples.slice(0, Math.ceil(samples.length / 2));
  const secondHalf = samples.slice(Math.ceil(samples.length / 2));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(`    RSS first half avg ${fmt(avg(firstHalf))} MB, second half avg ${fmt(avg(secondHalf))} MB`);
  const h = Math.ceil(heap.length / 2);
  console.log(`    JS heap first half avg ${fmt(avg(heap.slice(0, h)))} MB, second half avg ${fmt(avg(heap.slice(h)))} MB`);

  server.kill('SIGTERM');
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
}

await main();
