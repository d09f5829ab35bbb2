/**
 * Live certainty benchmark: 1,000 entries × 5 judges × 20 criteria (the ranking benchmark's
 * event) with the theory exam entered by staff. Marks arrive one at a time; after each, live
 * certainty (every entry's range and every prize / advancement state) is brought up to date.
 * Run: npm run bench:certainty
 * Target: ≤ 20 ms per mark (median and p95 printed), in the domain (LiveCertainty: re-bound the
 * marked entry, re-decide everyone) and in the server (the ranking service's state after a
 * committed mark, GET /api/events/:id/certainty's work without HTTP).
 */
import { performance } from 'node:perf_hooks';
import { marks as marksTable } from '../../db/schema.ts';
import { prizeRuleSchema, type PrizeRule } from '../../server/contracts/awards.ts';
import { schemeSchema, type Advancement, type SchemeInput } from '../../server/contracts/scheme.ts';
import { LiveCertainty, type CertaintyEntry, type CertaintyTargets } from '../../server/domain/certainty.ts';
import { scoreEntry, type EntryInput, type MarkInput } from '../../server/domain/index.ts';
import { presentCertainty } from '../../server/features/certainty/certainty.service.ts';
import { loginAs } from '../helpers/factories.ts';
import { makeScenario } from '../helpers/scenario.ts';
import { buildTestApp, call } from '../helpers/test-app.ts';

const ENTRIES = 1000;
const JUDGES = 5;
/** Marks that arrive one by one and are timed (after a part of the event is marked already). */
const TIMED = 2000;

const schemeInput: SchemeInput = {
  totaling: 'weighted',
  parts: [
    { id: 'theory', name: '理论', role: 'theory', weight: 30, max: 100, marking: 'objective' },
    {
      id: 'task',
      name: '实操',
      role: 'practical',
      weight: 50,
      max: 110,
      marking: 'rubric',
      criteria: Array.from({ length: 11 }, (_, i) => ({ id: `t${i}`, name: `t${i}`, max: 10 })),
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      expectedMarks: JUDGES,
    },
    {
      id: 'safety',
      name: '安全',
      role: 'practical',
      weight: 20,
      max: 100,
      marking: 'deduction',
      criteria: Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, name: `s${i}`, max: 10 })),
      aggregation: { kind: 'trimmed_mean', drop: 1 },
      expectedMarks: JUDGES,
    },
  ],
};
const scheme = schemeSchema.parse(schemeInput);

// Deterministic pseudo-random marks on a 0.5 grid.
let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const half = (max: number) => Math.floor(rand() * (max * 2 + 1)) / 2;
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const k = Math.floor(rand() * (i + 1));
    [items[i], items[k]] = [items[k]!, items[i]!];
  }
  return items;
}

/** Every mark of the finished event, by entry index (0-based) and judge (1-based). */
function allMarks(entryIds: (i: number) => number, judgeIds: (j: number) => number): MarkInput[] {
  const out: MarkInput[] = [];
  for (let i = 0; i < ENTRIES; i++)
    for (let j = 1; j <= JUDGES; j++) {
      for (const c of scheme.parts[1]!.criteria) out.push({ entryId: entryIds(i), judgeId: judgeIds(j), partId: 'task', criterionId: c.id, value: half(10) });
      for (const c of scheme.parts[2]!.criteria) out.push({ entryId: entryIds(i), judgeId: judgeIds(j), partId: 'safety', criterionId: c.id, value: half(3) });
    }
  return out;
}

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const over = sorted.filter((x) => x > 20).length;
  return `median ${at(0.5).toFixed(2)} ms · p95 ${at(0.95).toFixed(2)} ms · p99 ${at(0.99).toFixed(2)} ms · max ${sorted.at(-1)!.toFixed(2)} ms · over 20 ms: ${over} (${ms.length} marks)`;
}

const rule = (input: unknown): PrizeRule => prizeRuleSchema.parse(input);
const TOP_30: Advancement = { rule: { kind: 'top_percent', percent: 30 }, tiesAtCut: 'include' };
const variants: { name: string; targets: CertaintyTargets }[] = [
  { name: 'prizes 10/20/30 % (include)', targets: { prizeRule: rule({ basis: 'share', tiers: [{ label: '一等奖', percent: 10 }, { label: '二等奖', percent: 20 }, { label: '三等奖', percent: 30 }] }) } },
  { name: 'advancement top 30 %', targets: { advancement: TOP_30 } },
  { name: 'prizes 8/15/22 (exclude)', targets: { prizeRule: rule({ basis: 'count', ties: 'exclude', tiers: [{ label: '一等奖', count: 8 }, { label: '二等奖', count: 15 }, { label: '三等奖', count: 22 }] }) } },
  { name: 'prizes 1/3/6 (expand)', targets: { prizeRule: rule({ basis: 'count', ties: 'expand', tiers: [{ label: '一等奖', count: 1 }, { label: '二等奖', count: 3 }, { label: '三等奖', count: 6 }] }) } },
  {
    name: 'prizes 10/20/30 % with lines 90/80/70',
    targets: {
      prizeRule: rule({
        basis: 'share',
        tiers: [
          { label: '一等奖', percent: 10, minScore: 90 },
          { label: '二等奖', percent: 20, minScore: 80 },
          { label: '三等奖', percent: 30, minScore: 70 },
        ],
      }),
    },
  },
];

// ---------------------------------------------------------------------------------------
// In the domain: LiveCertainty fed mark by mark.

function domainBench() {
  const entries: EntryInput[] = Array.from({ length: ENTRIES }, (_, i) => ({
    entryId: i + 1,
    status: i % 97 === 0 ? 'absent' : 'checked_in',
    completionSeconds: 1200 + Math.floor(rand() * 600),
    objective: rand() < 0.7 ? { theory: half(100) } : {},
  }));
  const everything = allMarks((i) => i + 1, (j) => j).filter((m) => entries[m.entryId - 1]!.status !== 'absent');
  shuffle(everything);
  const initial = everything.slice(0, Math.floor(everything.length * 0.6));
  const arriving = everything.slice(initial.length, initial.length + TIMED);
  const byEntry = new Map<number, MarkInput[]>();
  for (const m of initial) {
    let list = byEntry.get(m.entryId);
    if (!list) byEntry.set(m.entryId, (list = []));
    list.push(m);
  }
  const certaintyEntry = (input: EntryInput): CertaintyEntry => {
    const marks = byEntry.get(input.entryId) ?? [];
    const open = input.status !== 'absent';
    return { input, marks, arriving: { marks: open, objective: open }, current: scoreEntry(scheme, input, marks) };
  };
  console.log(`domain: ${ENTRIES} entries × ${JUDGES} judges × 20 criteria, ${initial.length} of ${everything.length} marks in, then ${TIMED} arriving one by one`);
  // Warm-up, untimed: the first variant would otherwise pay for compiling the engine's hot paths.
  for (const variant of variants) new LiveCertainty(scheme, variant.targets, entries.map(certaintyEntry)).result();
  for (const variant of variants) {
    const built = performance.now();
    const live = new LiveCertainty(scheme, variant.targets, entries.map(certaintyEntry));
    live.result();
    const first = performance.now() - built;
    const times: number[] = [];
    const added = new Map<number, number>();
    for (const m of arriving) {
      const t0 = performance.now();
      byEntry.get(m.entryId)!.push(m);
      // What the server does after a committed mark: re-score the entry, re-bound it, re-decide everyone.
      live.update(certaintyEntry(entries[m.entryId - 1]!));
      live.result();
      times.push(performance.now() - t0);
      added.set(m.entryId, (added.get(m.entryId) ?? 0) + 1);
    }
    // Put the marks back out for the next variant.
    for (const [entryId, n] of added) byEntry.get(entryId)!.splice(-n, n);
    const r = live.result();
    const open = r.entries.filter((e) => (e.prize && e.prize.guaranteed !== e.prize.best) || e.advancement === 'open').length;
    const inexact = r.entries.filter((e) => e.prize && !e.prize.exact).length;
    console.log(`  ${variant.name.padEnd(40)} first ${first.toFixed(1)} ms · per mark ${stats(times)} · still open ${open}, not exact ${inexact}`);
  }
}

// ---------------------------------------------------------------------------------------
// In the server: the ranking service after a committed mark, then the certainty the API returns.

async function serverBench() {
  const app = await buildTestApp();
  const s = makeScenario(app, { entrants: ENTRIES, judgeCount: JUDGES, scheme: schemeInput });
  const organiser = await loginAs(app, 'organiser', s.orgId);
  const set = await call(app, organiser, { method: 'PUT', url: `/api/events/${s.eventId}/prize-rule`, payload: variants[0]!.targets.prizeRule as object });
  if (set.statusCode !== 200) throw new Error(`prize rule: ${set.statusCode} ${set.body}`);
  const everything = shuffle(allMarks((i) => s.entryIds[i]!, (j) => s.judgeIds[j - 1]!));
  const initial = everything.slice(0, Math.floor(everything.length * 0.6));
  const arriving = everything.slice(initial.length, initial.length + TIMED);
  const now = new Date();
  const insert = (m: MarkInput) => app.db.insert(marksTable).values({ roundId: s.roundId, entryId: m.entryId, judgeId: m.judgeId, partId: m.partId, criterionId: m.criterionId, version: 1, value: m.value, enteredAt: now }).run();
  app.db.transaction(() => {
    for (const m of initial) insert(m);
  });
  // Warm-up, untimed, on a copy of the state that is then dropped (invalidate reloads it).
  presentCertainty(app.rankings.certaintyView(s.eventId));
  app.rankings.invalidate(s.eventId);
  const loaded = performance.now();
  presentCertainty(app.rankings.certaintyView(s.eventId));
  const first = performance.now() - loaded;
  const certainty: number[] = [];
  const total: number[] = [];
  for (const m of arriving) {
    insert(m);
    const t0 = performance.now();
    app.rankings.marksCommitted(s.eventId); // re-scores the entry in memory (the live ranking's own work)
    const t1 = performance.now();
    presentCertainty(app.rankings.certaintyView(s.eventId));
    const t2 = performance.now();
    certainty.push(t2 - t1);
    total.push(t2 - t0);
  }
  console.log(`server: ranking service + GET /api/events/:id/certainty's work (prizes 10/20/30 %), first load ${first.toFixed(1)} ms`);
  console.log(`  certainty after a mark: ${stats(certainty)}`);
  console.log(`  with re-scoring the mark: ${stats(total)}`);
  await app.close();
}

domainBench();
await serverBench();
