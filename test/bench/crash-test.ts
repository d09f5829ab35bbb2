/**
 * `npm run test:crash [-- --seed <n>]` — does an acknowledged mark survive the server being killed?
 *
 * The real server runs in a child process on a SQLite file (WAL, synchronous=FULL). Twelve judges'
 * tablets submit marks concurrently, a few at a time, each mark with its own stable idempotency
 * key; a request that fails (network error, 5xx) is sent again unchanged until it is answered, as
 * the tablet's outbox does. Meanwhile the server is killed with SIGKILL three times at random
 * moments and restarted on the same file. After a clean stop the file is opened read-only and
 * checked: every acknowledged mark (2xx answer) is stored with its value, none is stored twice
 * (one row per idempotency key, one version per judge × entry × criterion), nothing else is
 * stored, and the database passes its integrity check. Exits non-zero on any failure.
 *
 * The scenario (one running event, its panel seated on the rubric part) is written straight to
 * the file before the server starts, as in run-bench.ts: the demo data's running events leave too
 * few cells unmarked to keep a dozen judges busy.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDb } from '../../db/client.ts';
import { migrateDb } from '../../db/migrate.ts';
import { panelSeats } from '../../db/schema.ts';
import { systemClock } from '../../server/clock.ts';
import type { SchemeInput } from '../../server/contracts/scheme.ts';
import { makeScenario } from '../helpers/scenario.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { freePort, SECRET } from './bench-helpers.ts';

const JUDGES = 12;
const ENTRANTS = 60;
const CRITERIA = 8;
const KILLS = 3;
/** Marks per request: a judge sends a few criteria of a sheet at a time. */
const BATCH = { min: 1, max: 5 };
/** A judge's pause between requests: spreads the load over ~30 s so the kills fall inside it. */
const THINK_MS = { min: 100, max: 300 };
/** How long the server runs between (re)starting and being killed. */
const UPTIME_MS = { min: 2500, max: 7000 };
const RETRY_MS = { min: 100, max: 400 };
const REQUEST_TIMEOUT_MS = 10_000;
const DEADLINE_MS = 150_000;

const args = process.argv.slice(2);
const seed = Number(args[args.indexOf('--seed') + 1] ?? NaN) || Date.now() % 1_000_000;

/** Deterministic randomness (mulberry32), so a failing run can be repeated with its seed. */
let state = seed >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const between = (r: { min: number; max: number }) => r.min + Math.floor(random() * (r.max - r.min + 1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
      criteria: Array.from({ length: CRITERIA }, (_, i) => ({ id: `c${i + 1}`, name: `评分项${i + 1}`, max: 100 / CRITERIA, step: 0.5 })),
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      minMarks: 3,
      expectedMarks: JUDGES,
    },
  ],
};

type Mark = { idempotencyKey: string; number: number; partId: string; criterionId: string; value: number };
type Answer = { status: number; body: string; headers: http.IncomingHttpHeaders };

const figures = { marksSent: 0, acknowledged: 0, requests: 0, retries: 0, storedAnswers: 0, duplicateAnswers: 0, refused: 0, kills: 0 };
const acknowledged = new Map<string, Mark & { judgeId: number }>();
const sent = new Map<string, Mark & { judgeId: number }>();

let port = 0;
// No keep-alive: every request opens its own connection, so none is left half-used by a kill.
const agent = new http.Agent({ keepAlive: false });

function post(path: string, body: unknown, cookie?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(cookie ? { cookie } : {}) },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sends until answered: a network error or 5xx (the server down or restarting) is retried unchanged. */
async function postUntilAnswered(path: string, body: unknown, cookie?: string): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) figures.retries++;
    try {
      const answer = await post(path, body, cookie);
      if (answer.status < 500) return answer;
    } catch {
      // connection refused or reset: the server is down
    }
    await sleep(between(RETRY_MS));
  }
}

async function judgeLogin(code: string): Promise<string> {
  const answer = await postUntilAnswered('/api/auth/judge-login', { code });
  if (answer.status !== 200) throw new Error(`judge login ${code}: ${answer.status} ${answer.body}`);
  return String(answer.headers['set-cookie']?.[0]).split(';')[0]!;
}

/** One judge's tablet: every cell of every entrant, a few marks per request, in order. */
async function tablet(judgeIndex: number, judgeId: number, code: string, runId: string): Promise<void> {
  let cookie = await judgeLogin(code);
  const marks: Mark[] = [];
  for (let number = 1; number <= ENTRANTS; number++)
    for (let c = 1; c <= CRITERIA; c++)
      marks.push({
        idempotencyKey: `crash-${runId}-j${judgeIndex}-n${number}-c${c}`,
        number,
        partId: 'task1',
        criterionId: `c${c}`,
        value: ((number * 7 + judgeIndex * 3 + c) % 26) * 0.5, // 0 … 12.5, on the step
      });
  for (let i = 0; i < marks.length; ) {
    const batch = marks.slice(i, i + between(BATCH));
    i += batch.length;
    for (const m of batch) sent.set(m.idempotencyKey, { ...m, judgeId });
    figures.marksSent += batch.length;
    for (;;) {
      figures.requests++;
      const answer = await postUntilAnswered('/api/marks', { marks: batch }, cookie);
      if (answer.status === 401) {
        cookie = await judgeLogin(code);
        continue;
      }
      if (answer.status !== 200) {
        figures.refused += batch.length;
        console.error(`judge ${judgeIndex}: refused ${answer.status} ${answer.body}`);
        break;
      }
      const results = (JSON.parse(answer.body) as { results: { idempotencyKey: string; outcome: 'stored' | 'duplicate'; mark: { value: number } }[] }).results;
      for (const r of results) {
        const mark = sent.get(r.idempotencyKey)!;
        if (r.mark.value !== mark.value) throw new Error(`mark ${r.idempotencyKey} answered with value ${r.mark.value}, sent ${mark.value}`);
        acknowledged.set(r.idempotencyKey, mark);
        if (r.outcome === 'stored') figures.storedAnswers++;
        else figures.duplicateAnswers++;
      }
      figures.acknowledged = acknowledged.size;
      break;
    }
    await sleep(between(THINK_MS));
  }
}

function startServer(dbPath: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: dbPath,
      DEMO: 'false',
      SESSION_SECRET: SECRET,
      LOG_LEVEL: 'error',
      WEB_DIST: '/nonexistent',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function waitUntilUp(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      http
        .get({ host: '127.0.0.1', port, path: '/health', agent }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        })
        .on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error('the server did not start within 30 s');
    await sleep(100);
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

let server: ChildProcess | undefined;

async function main(): Promise<void> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'skills-crash-'));
  const dbPath = join(dir, 'crash.sqlite');
  const db = openDb(dbPath);
  migrateDb(db);
  const app = { db, sessionSecret: SECRET, clock: systemClock } as unknown as TestApp;
  const s = makeScenario(app, { entrants: ENTRANTS, judgeCount: JUDGES, scheme });
  for (const judgeId of s.judgeIds) db.insert(panelSeats).values({ roundId: s.roundId, partId: 'task1', criterionId: '', judgeId }).run();
  db.$client.close();

  port = await freePort();
  server = startServer(dbPath);
  await waitUntilUp();
  console.log(`seed ${seed}: ${JUDGES} judges × ${ENTRANTS} entrants × ${CRITERIA} criteria on port ${port}, database ${dbPath}`);

  const runId = seed.toString(36);
  let loadDone = false;
  const load = Promise.all(s.judgeCodes.map((code, i) => tablet(i + 1, s.judgeIds[i]!, code, runId))).finally(() => (loadDone = true));

  let downMs = 0;
  for (let k = 0; k < KILLS; k++) {
    await sleep(between(UPTIME_MS));
    if (loadDone) break;
    server.kill('SIGKILL');
    await exited(server);
    figures.kills++;
    const down = performance.now();
    console.log(`kill ${figures.kills} at ${((down - started) / 1000).toFixed(1)} s, ${figures.acknowledged} marks acknowledged so far`);
    server = startServer(dbPath);
    await waitUntilUp();
    downMs += performance.now() - down;
  }

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the load did not finish in time')), DEADLINE_MS - (performance.now() - started));
  });
  await Promise.race([load, deadline]).finally(() => clearTimeout(timer));
  server.kill('SIGTERM');
  const exitCode = await exited(server);

  // The verdict, from the file itself.
  const check = new Database(dbPath, { readonly: true });
  const rows = check
    .prepare('SELECT idempotency_key AS key, judge_id AS judgeId, part_id AS partId, criterion_id AS criterionId, value, e.drawn_number AS number FROM marks JOIN entries e ON e.id = marks.entry_id WHERE round_id = ?')
    .all(s.roundId) as { key: string | null; judgeId: number; partId: string; criterionId: string; value: number; number: number }[];
  const byKey = new Map<string, (typeof rows)[number][]>();
  for (const row of rows) byKey.set(row.key ?? '', [...(byKey.get(row.key ?? '') ?? []), row]);
  let lost = 0;
  for (const [key, mark] of acknowledged) {
    const stored = byKey.get(key)?.[0];
    const same = stored && stored.judgeId === mark.judgeId && stored.number === mark.number && stored.partId === mark.partId && stored.criterionId === mark.criterionId && stored.value === mark.value;
    if (!same) {
      lost++;
      console.error(`lost: ${key} ${JSON.stringify(mark)} → ${JSON.stringify(stored ?? null)}`);
    }
  }
  const twiceByKey = [...byKey.values()].filter((list) => list.length > 1).length;
  const twiceByCell = (
    check
      .prepare('SELECT COUNT(*) AS n FROM (SELECT 1 FROM marks WHERE round_id = ? GROUP BY entry_id, judge_id, part_id, criterion_id HAVING COUNT(*) > 1)')
      .get(s.roundId) as { n: number }
  ).n;
  const unexpected = rows.filter((row) => !row.key || !sent.has(row.key)).length;
  const unacknowledged = [...sent.keys()].filter((key) => !acknowledged.has(key)).length;
  const integrity = (check.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
  check.close();
  rmSync(dir, { recursive: true, force: true });

  const duplicated = twiceByKey + twiceByCell;
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    [
      `marks sent          ${figures.marksSent} in ${figures.requests} requests`,
      `acknowledged        ${figures.acknowledged} (${figures.storedAnswers} answered stored, ${figures.duplicateAnswers} answered duplicate: committed before a kill, answer lost)`,
      `retries             ${figures.retries}`,
      `kills               ${figures.kills} (SIGKILL), server down ${(downMs / 1000).toFixed(1)} s in all; final stop exit code ${exitCode}`,
      `rows in the file    ${rows.length}`,
      `lost                ${lost}`,
      `duplicated          ${duplicated} (${twiceByKey} keys stored twice, ${twiceByCell} cells with two versions)`,
      `unexpected rows     ${unexpected}`,
      `refused             ${figures.refused}; unacknowledged ${unacknowledged}`,
      `integrity check     ${integrity}`,
      `elapsed             ${elapsed.toFixed(1)} s (seed ${seed})`,
    ].join('\n'),
  );
  const failed = lost || duplicated || unexpected || figures.refused || unacknowledged || integrity !== 'ok' || figures.kills < KILLS || exitCode !== 0;
  if (failed) {
    console.error('FAIL');
    process.exitCode = 1;
  } else console.log('PASS');
}

main().catch((err) => {
  console.error(err);
  server?.kill('SIGKILL');
  process.exit(1);
});
